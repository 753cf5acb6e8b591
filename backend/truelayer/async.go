package truelayer

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"bankdesk/backend/internal/wait"
)

// Task statuses of the Data API (ResponseStatus).
const (
	statusQueued    = "Queued"
	statusRunning   = "Running"
	statusSucceeded = "Succeeded"
	statusFailed    = "Failed"
)

// awaitResults returns env's results once its task has succeeded, polling
// results_uri while the status is Queued or Running: the first wait is
// PollInterval, doubling up to maxPollInterval, each with jitter, and a last
// poll at the deadline PollTimeout after the first answer. A synchronous
// answer (status Succeeded or absent) returns at once.
func awaitResults[T any](ctx context.Context, c *Client, accessToken, op, what string, o callOptions, env *envelope[T], meta responseMeta) ([]T, error) {
	var (
		pollURL  string
		pollOp   = op
		deadline = c.now().Add(c.pollTimeout)
	)
	for poll := 1; ; poll++ {
		switch env.Status {
		case "", statusSucceeded:
			return env.Results, nil
		case statusFailed:
			return nil, taskFailed(pollOp, env, meta)
		case statusQueued, statusRunning:
		default:
			return nil, &Error{Op: pollOp, Status: meta.status, Code: CodeUnexpectedResponse,
				Description: fmt.Sprintf("%s: unknown status %q", what, env.Status), CorrelationID: meta.correlationID}
		}
		if env.ResultsURI != "" {
			u, err := c.resultsURL(env.ResultsURI)
			if err != nil {
				return nil, &Error{Op: pollOp, Status: meta.status, Code: CodeUnexpectedResponse,
					Description: fmt.Sprintf("%s: %v", what, err), CorrelationID: meta.correlationID}
			}
			pollURL, pollOp = u.String(), "GET "+u.EscapedPath()
		}
		if pollURL == "" {
			return nil, &Error{Op: pollOp, Status: meta.status, Code: CodeUnexpectedResponse,
				Description: what + ": async task without results_uri", CorrelationID: meta.correlationID}
		}

		remaining := deadline.Sub(c.now())
		if remaining <= 0 {
			return nil, &Error{Op: pollOp, Code: CodeAsyncTimeout,
				Description: fmt.Sprintf("%s: task %s not finished after %s", what, env.TaskID, c.pollTimeout)}
		}
		pause := min(wait.Backoff(c.pollInterval, maxPollInterval, poll), remaining)
		if err := c.sleep(ctx, pause); err != nil {
			return nil, fmt.Errorf("truelayer: %s: wait for async task: %w", pollOp, err)
		}

		taskID := env.TaskID
		var err error
		env, meta, err = getEnvelope[T](ctx, c, accessToken, pollURL, pollOp, what, o)
		if err != nil {
			return nil, err
		}
		if env.TaskID == "" {
			env.TaskID = taskID
		}
	}
}

// taskFailed reports a Failed task. TrueLayer retries inside the task, so
// the code it gives (if any) is the final word; without one the failure is
// CodeAsyncFailed.
func taskFailed[T any](op string, env *envelope[T], meta responseMeta) *Error {
	e := &Error{
		Op:            op,
		Status:        meta.status,
		Code:          env.Error,
		Description:   env.ErrorDescription,
		Details:       nonEmptyJSON(env.ErrorDetails),
		CorrelationID: meta.correlationID,
	}
	if e.Code == "" {
		e.Code = CodeAsyncFailed
	}
	if e.Description == "" {
		e.Description = "async task " + env.TaskID + " failed"
	}
	return e
}

// resultsURL turns results_uri into the URL to poll. The access token is
// sent there, so it must stay on the API host: a results_uri naming another
// origin (the spec's example says api.truelayer.com whatever the
// environment; a proxy or the built-in sandbox may say another host name)
// keeps only its path and query, placed under the configured API root.
func (c *Client) resultsURL(raw string) (*url.URL, error) {
	base, err := url.Parse(c.apiURL + "/")
	if err != nil {
		return nil, err
	}
	ref, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("bad results_uri: %w", err)
	}
	u := base.ResolveReference(ref)
	if u.Scheme == base.Scheme && u.Host == base.Host {
		return u, nil
	}
	rebased := *base
	rebased.RawPath = ""
	rebased.Path = ref.Path
	if prefix := strings.TrimSuffix(base.Path, "/"); !strings.HasPrefix(ref.Path, prefix+"/") {
		rebased.Path = prefix + ref.Path
	}
	rebased.RawQuery = ref.RawQuery
	return &rebased, nil
}
