package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

// task is an async Data API request (?async=true). The work runs when the request
// arrives; polls then answer Queued/Running AsyncPolls times before the result, or,
// under the async_ms knob, until that much real time has passed.
type task struct {
	ID        string
	CredID    string
	Created   time.Time // sandbox clock
	Started   time.Time // wall clock, for async_ms
	Runs      time.Duration
	Polls     int
	Delivered bool // a webhook announced the result, so polls answer it at once
	Result    *apiResult
}

type asyncJSON struct {
	ResultsURI       string         `json:"results_uri"`
	Status           string         `json:"status"`
	TaskID           string         `json:"task_id"`
	Error            string         `json:"error,omitempty"`
	ErrorDescription string         `json:"error_description,omitempty"`
	ErrorDetails     map[string]any `json:"error_details,omitempty"`
}

func (s *Server) resultsURI(id string) string { return s.apiURL + "/data/v1/results/" + id }

// startTask stores res as a task and answers 202 with where to poll.
func (s *Server) startTask(c *call, res *apiResult) *apiResult {
	t := &task{ID: newUUID(), CredID: c.cred.ID, Created: c.now, Started: time.Now(),
		Runs: s.asyncDuration(c.r.URL.Path), Result: res}
	s.mu.Lock()
	for id, old := range s.tasks {
		if c.now.Sub(old.Created) > 24*time.Hour {
			delete(s.tasks, id)
		}
	}
	s.tasks[t.ID] = t
	s.mu.Unlock()
	if hook := c.r.URL.Query().Get("webhook_uri"); hook != "" {
		if u, err := url.Parse(hook); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			s.deliverWebhook(t, hook, c.r.URL.RequestURI(), c.now)
		}
	}
	b, _ := json.Marshal(asyncJSON{ResultsURI: s.resultsURI(t.ID), Status: "Queued", TaskID: t.ID})
	return &apiResult{status: http.StatusAccepted, body: b}
}

func failed(res *apiResult) bool { return res.status < 200 || res.status > 299 }

// deliverWebhook POSTs the completion notice in the background, once the task is
// done; the results themselves are fetched from results_uri
// (https://docs.truelayer.com/docs/asynchronous-calls-and-webhooks).
func (s *Server) deliverWebhook(t *task, hook, requestURI string, now time.Time) {
	body := map[string]any{
		"request_timestamp": isoMillis(now),
		"request_uri":       s.apiURL + requestURI,
		"results_uri":       s.resultsURI(t.ID),
		"credentials_id":    t.CredID,
		"task_id":           t.ID,
		"status":            "Succeeded",
	}
	if failed(t.Result) {
		var e errorBody
		_ = json.Unmarshal(t.Result.body, &e) // a body that is not an error envelope leaves e empty
		body["status"], body["error"], body["error_description"] = "Failed", e.Error, e.ErrorDescription
	}
	b, _ := json.Marshal(body)
	announce := func() {
		s.mu.Lock()
		t.Delivered = true
		s.mu.Unlock()
	}
	if t.Runs <= 0 {
		announce()
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if t.Runs > 0 {
			select {
			case <-time.After(t.Runs):
				announce()
			case <-s.bgCtx.Done():
				return
			}
		}
		ctx, cancel := context.WithTimeout(s.bgCtx, 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(b))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			s.log.Warn("sandbox webhook failed", "err", err)
			return
		}
		_ = resp.Body.Close() // the body was not read; nothing to report
	}()
}

// getResults answers a poll of /data/v1/results/{task}. Only the connection that
// started the task can read it.
func (s *Server) getResults(c *call) *apiResult {
	id := c.r.PathValue("task")
	s.mu.Lock()
	t := s.tasks[id]
	if t == nil || t.CredID != c.cred.ID {
		s.mu.Unlock()
		return errResult(http.StatusNotFound, "not_found", "Task not found.")
	}
	var pending bool
	status := "Running"
	if t.Runs > 0 {
		// async_ms: Queued for the first half of the run, then Running.
		ran := time.Since(t.Started)
		pending = !t.Delivered && ran < t.Runs
		if ran < t.Runs/2 {
			status = "Queued"
		}
	} else if pending = !t.Delivered && t.Polls < s.opts.AsyncPolls; pending {
		if t.Polls == 0 && s.opts.AsyncPolls > 1 {
			status = "Queued"
		}
		t.Polls++
	}
	res := t.Result
	s.mu.Unlock()

	out := asyncJSON{ResultsURI: s.resultsURI(id), Status: status, TaskID: id}
	switch {
	case pending:
	case !failed(res):
		return res // already the {"results": [...], "status": "Succeeded"} envelope
	default:
		var e errorBody
		_ = json.Unmarshal(res.body, &e) // a body that is not an error envelope leaves e empty
		out.Status, out.Error, out.ErrorDescription, out.ErrorDetails = "Failed", e.Error, e.ErrorDescription, map[string]any{}
	}
	b, _ := json.Marshal(out)
	return &apiResult{status: http.StatusOK, body: b}
}
