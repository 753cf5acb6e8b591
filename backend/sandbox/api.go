package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiResult is a Data API answer before it is written; handlers return one so the
// same result can be written now, stored for an async task, or truncated by a fault.
type apiResult struct {
	status      int
	body        []byte
	retryAfter  int
	contentType string // "" = application/json; charset=utf-8
}

// errorBody is the Data API Error schema; error_details is always present.
type errorBody struct {
	Error            string         `json:"error"`
	ErrorDescription string         `json:"error_description"`
	ErrorDetails     map[string]any `json:"error_details"`
}

func errResult(status int, code, desc string) *apiResult {
	b, _ := json.Marshal(errorBody{Error: code, ErrorDescription: desc, ErrorDetails: map[string]any{}})
	return &apiResult{status: status, body: b}
}

// okResult wraps items in the {"results": [...], "status": "Succeeded"} envelope.
func okResult(items any) *apiResult {
	b, err := json.Marshal(struct {
		Results any    `json:"results"`
		Status  string `json:"status"`
	}{items, "Succeeded"})
	if err != nil {
		return errResult(500, "internal_server_error", "Internal server error.")
	}
	return &apiResult{status: http.StatusOK, body: b}
}

// call is one authenticated Data API request.
type call struct {
	r     *http.Request
	now   time.Time
	cred  credential
	route string
	nonce uint64
}

func (c *call) today() day { return dayOf(c.now) }

func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	reg := func(route string, h func(*call) *apiResult, scopes ...string) {
		mux.Handle("GET /data/v1"+route, s.dataEndpoint(route, scopes, h))
	}
	reg("/me", s.getMe)
	reg("/info", s.getInfo, "info")
	reg("/accounts", s.getAccounts, "accounts")
	reg("/accounts/{id}", s.getAccount, "accounts")
	reg("/accounts/{id}/balance", s.balance(false), "accounts", "balance")
	reg("/accounts/{id}/transactions", s.transactions(false, false), "accounts", "transactions")
	reg("/accounts/{id}/transactions/pending", s.transactions(false, true), "accounts", "transactions")
	reg("/accounts/{id}/standing_orders", s.getStandingOrders, "accounts", "standing_orders")
	reg("/accounts/{id}/direct_debits", s.getDirectDebits, "accounts", "direct_debits")
	reg("/cards", s.getCards, "cards")
	reg("/cards/{id}", s.getCard, "cards")
	reg("/cards/{id}/balance", s.balance(true), "cards", "balance")
	reg("/cards/{id}/transactions", s.transactions(true, false), "cards", "transactions")
	reg("/cards/{id}/transactions/pending", s.transactions(true, true), "cards", "transactions")
	mux.Handle("GET /data/v1/results/{task}", s.dataEndpoint("/results", nil, s.getResults))
	mux.Handle("POST /data/v1/batch/transactions", s.dataEndpoint("/batch/transactions", []string{"accounts"}, func(*call) *apiResult {
		return errResult(http.StatusNotImplemented, "endpoint_not_supported", "Feature not supported by the provider")
	}))
	// TrueLayer documents extend at both paths (docs/truelayer.md §8).
	mux.HandleFunc("POST /connections/extend", s.handleExtend)
	mux.HandleFunc("POST /data/v1/connections/extend", s.handleExtend)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeResult(w, r, "", errResult(http.StatusNotFound, "not_found", "No such endpoint."))
	})
	return mux
}

// dataEndpoint is the pipeline every Data API call goes through: delay fault, Bearer
// check, injected failures, then (sync or async) the guarded handler.
func (s *Server) dataEndpoint(route string, scopes []string, h func(*call) *apiResult) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if d := s.faultDelay(path); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		now := s.now()
		cred, _, terr := s.verifyAccess(bearer(r), now)
		if terr != nil {
			s.writeResult(w, r, "", errResult(terr.status, terr.code, terr.desc))
			return
		}
		if res := s.takeFailure(path); res != nil {
			s.writeResult(w, r, cred.ID, res)
			return
		}
		if route == "/me" {
			if res := s.takeMeFailure(cred.ID); res != nil {
				s.writeResult(w, r, cred.ID, res)
				return
			}
		}
		c := &call{r: r, now: now, cred: cred, route: route, nonce: mix64(uint64(now.UnixNano()) ^ randUint64())}
		switch {
		case route == "/results":
			// Polls skip the connection rules: a task that failed on them (an error
			// user, say) must still be readable as status Failed.
			s.writeResult(w, r, cred.ID, h(c))
		case r.URL.Query().Get("async") == "true":
			s.writeResult(w, r, cred.ID, s.startTask(c, s.guarded(c, scopes, h)))
		default:
			s.writeResult(w, r, cred.ID, s.guarded(c, scopes, h))
		}
	})
}

func randUint64() uint64 {
	b := randBytes(8)
	var x uint64
	for _, v := range b {
		x = x<<8 | uint64(v)
	}
	return x
}

// guarded applies the per-connection rules before the endpoint itself.
func (s *Server) guarded(c *call, scopes []string, h func(*call) *apiResult) *apiResult {
	if c.cred.Revoked || c.cred.consentExpired(c.now) {
		return errResult(http.StatusForbidden, "access_denied", "Access to a specific resource has been denied.")
	}
	if code := c.cred.User.ErrCode; code != "" {
		return errResult(errorUsers[code], code, errorUserText[code])
	}
	for _, sc := range scopes {
		if !hasScope(c.cred.Scopes, sc) {
			return errResult(http.StatusForbidden, "access_denied", "The access token does not have the "+sc+" scope.")
		}
	}
	if s.opts.EnforceUnattendedLimit && c.r.Header.Get("X-PSU-IP") == "" && !s.allowUnattended(c) {
		return errResult(http.StatusTooManyRequests, "provider_request_limit_exceeded",
			"Maximum number of requests per user allowed by provider exceeded.")
	}
	return h(c)
}

// allowUnattended counts calls without X-PSU-IP per credential, account, endpoint and
// day (PSD2 RTS art. 36(5): four a day).
func (s *Server) allowUnattended(c *call) bool {
	key := c.cred.ID + "|" + c.r.PathValue("id") + "|" + c.route + "|" + strconv.Itoa(int(c.today()))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unattend[key]++
	return s.unattend[key] <= 4
}

// securityHeaders are the values TrueLayer's spec declares (enums) for Data API responses.
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none';")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "deny")
	h.Set("X-XSS-Protection", "1; mode=block")
	h.Set("Referrer-Policy", "no-referrer")
}

// writeResult writes res with the Data API headers, applying the truncate and
// expire_tokens_after faults.
func (s *Server) writeResult(w http.ResponseWriter, r *http.Request, credID string, res *apiResult) {
	h := w.Header()
	securityHeaders(h)
	ct := res.contentType
	if ct == "" {
		ct = "application/json; charset=utf-8"
	}
	h.Set("Content-Type", ct)
	h.Set("X-TL-Correlation-Id", newUUID())
	if credID != "" {
		h.Set("X-Credentials-Id", credID)
	}
	if res.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(res.retryAfter))
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	// Only Data API calls take faults; extend has its own extend_status knob.
	dataCall := !strings.HasSuffix(r.URL.Path, "/connections/extend")
	if dataCall && len(res.body) > 1 && s.takeTruncate(r.URL.Path) {
		// Declare the full length, send half, and drop the connection.
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body[:len(res.body)/2]) // the connection is dropped on purpose next
		rc := http.NewResponseController(w)
		_ = rc.Flush() // the connection is dropped on purpose next
		if conn, _, err := rc.Hijack(); err == nil {
			_ = conn.Close()
		}
		return
	}
	w.WriteHeader(res.status)
	_, _ = w.Write(res.body) // a client that hung up has nothing to be told
	if dataCall && res.status >= 200 && res.status < 300 {
		s.countSuccess(r.URL.Path)
	}
}
