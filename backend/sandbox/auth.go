package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// authHandler routes the auth server (auth.truelayer-sandbox.com's role).
func (s *Server) authHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleDialogStart)
	mux.HandleFunc("GET /dialog", s.handleDialogPage)
	mux.HandleFunc("POST /dialog/consent", s.handleDialogConsent)
	mux.HandleFunc("POST /dialog/provider", s.handleDialogProvider)
	mux.HandleFunc("POST /dialog/login", s.handleDialogLogin)
	mux.HandleFunc("GET /img/banks/{file}", s.handleLogo)
	mux.HandleFunc("POST /connect/token", s.handleToken)
	mux.HandleFunc("GET /api/providers", s.handleProviders)
	mux.HandleFunc("DELETE /api/delete", s.handleDelete)
	mux.HandleFunc("POST /v1/reauthuri", s.handleReauthURI)
	mux.HandleFunc("GET /__sandbox/faults", s.handleGetFaults)
	mux.HandleFunc("POST /__sandbox/faults", s.handleSetFaults)
	mux.HandleFunc("POST /__sandbox/expire-access-tokens", s.handleExpireTokens)
	mux.HandleFunc("POST /__sandbox/advance", s.handleAdvance)
	mux.HandleFunc("GET /__sandbox/truth", s.handleTruth)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAuthError(w, http.StatusNotFound, "not_found", "No such endpoint.", "")
	})
	return mux
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b) // a client that hung up has nothing to be told
}

// authErrorBody is the auth server's Error schema; error_details is always an object.
type authErrorBody struct {
	Error            string            `json:"error"`
	ErrorDescription string            `json:"error_description,omitempty"`
	ErrorDetails     map[string]string `json:"error_details"`
}

func writeAuthError(w http.ResponseWriter, status int, code, desc, reason string) {
	d := map[string]string{}
	if reason != "" {
		d["reason"] = reason
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, authErrorBody{Error: code, ErrorDescription: desc, ErrorDetails: d})
}

// allowedRedirect is the client's registered redirect list: the app's custom scheme
// and loopback callbacks on any port.
func allowedRedirect(raw string) bool {
	if raw == "bankdesk://callback" {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Path != "/callback" {
		return false
	}
	host := u.Hostname()
	if host != "127.0.0.1" && host != "localhost" {
		return false
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return false
		}
	}
	return true
}

func clientOK(id, secret string) bool {
	return id == ClientID && subtle.ConstantTimeCompare([]byte(secret), []byte(ClientSecret)) == 1
}

// readParams reads a token request from a form-encoded or JSON body; TrueLayer's spec
// says JSON while every client sends forms (docs/truelayer.md §3), so both are accepted.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		var raw map[string]any
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, fmt.Errorf("body is not a JSON object")
		}
		for k, v := range raw {
			switch t := v.(type) {
			case string:
				out[k] = t
			case nil:
			default:
				return nil, fmt.Errorf("field %s must be a string", k)
			}
		}
	} else {
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("malformed form body")
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				out[k] = v[0]
			}
		}
	}
	// Some OAuth libraries send client credentials as HTTP Basic first.
	if id, secret, ok := r.BasicAuth(); ok && out["client_id"] == "" {
		out["client_id"], out["client_secret"] = id, secret
	}
	return out, nil
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	p, err := readParams(r)
	if err != nil {
		writeAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request", err.Error())
		return
	}
	gt := p["grant_type"]
	if gt == "" || p["client_id"] == "" || p["client_secret"] == "" {
		writeAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request", "grant_type, client_id and client_secret are required")
		return
	}
	if !clientOK(p["client_id"], p["client_secret"]) {
		writeAuthError(w, http.StatusUnauthorized, "unauthorized_client",
			"The client credentials you have entered are incorrect. Please check and try again.", "")
		return
	}
	switch gt {
	case "authorization_code":
		if p["code"] == "" || p["redirect_uri"] == "" {
			writeAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request", "code and redirect_uri are required")
			return
		}
		s.issueFor(w, p, s.exchangeCode)
	case "refresh_token":
		if p["refresh_token"] == "" {
			writeAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request", "refresh_token is required")
			return
		}
		s.issueFor(w, p, s.refreshGrant)
	default:
		writeAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request", "unsupported grant_type "+gt)
	}
}

// A grant finds the credential a token request is for, under s.mu. It
// refuses with the description and reason of an invalid_grant.
type grant func(p map[string]string, now time.Time) (c *credential, desc, reason string)

// issueFor answers a token request with new tokens for the credential g
// finds: what both grant types share.
func (s *Server) issueFor(w http.ResponseWriter, p map[string]string, g grant) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, desc, reason := g(p, now)
	if c == nil {
		writeAuthError(w, http.StatusBadRequest, "invalid_grant", desc, reason)
		return
	}
	resp, err := s.issueLocked(c, now)
	if err != nil {
		writeAuthError(w, http.StatusInternalServerError, "internal_server_error",
			"Sorry, we are experiencing technical difficulties. Please try again later.", "")
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) exchangeCode(p map[string]string, now time.Time) (*credential, string, string) {
	ac := s.codes[tokenKey(p["code"])]
	// TrueLayer's docs also name invalid_authorization_code, but the auth spec's error
	// enum only has invalid_grant, so every bad code answers invalid_grant.
	const badCode = "Invalid authorization code"
	switch {
	case ac == nil:
		return nil, badCode, "unknown code"
	case ac.Used:
		return nil, badCode, "code already used"
	case !now.Before(ac.Expires):
		return nil, badCode, "code expired"
	case ac.ClientID != p["client_id"]:
		return nil, badCode, "code was issued to another client"
	case ac.RedirectURI != p["redirect_uri"]:
		return nil, badCode, "redirect_uri does not match the auth link"
	}
	if ac.Challenge != "" && (p["code_verifier"] == "" || s256(p["code_verifier"]) != ac.Challenge) {
		return nil, "Invalid code_verifier", "code_verifier does not match code_challenge"
	}
	ac.Used = true

	var c *credential
	if ac.ReauthCred != "" {
		c = s.creds[ac.ReauthCred]
	}
	if c == nil || c.Revoked {
		c = &credential{ID: newCredentialsID(), SID: "auth-" + randURLSafe(32), CredentialsKey: randHex(32)}
		if s.takeNewAccountIDs() || s.accountIDsPerConnection() {
			c.AccountSalt = randHex(16)
		}
		s.creds[c.ID] = c
	}
	c.MeFailPending = s.takeMeFailOnce()
	// A re-authentication keeps credentials_id (and so the account ids) but starts a
	// fresh consent and SCA window.
	c.User = ac.User
	c.ProviderID = ac.ProviderID
	c.ClientID = ac.ClientID
	c.Scopes = ac.Scopes
	c.AuthTime = ac.AuthTime
	newConsent(c, ac.AuthTime)
	return c, "", ""
}

func (s *Server) refreshGrant(p map[string]string, now time.Time) (*credential, string, string) {
	rt := s.refresh[tokenKey(p["refresh_token"])]
	if rt == nil {
		return nil, "Invalid refresh token", "unknown, rotated or revoked refresh token"
	}
	c := s.creds[rt.CredID]
	switch {
	case c == nil || c.Revoked:
		delete(s.refresh, p["refresh_token"])
		return nil, "Invalid refresh token", "connection revoked"
	case c.consentExpired(now):
		return nil, "Consent expired", "the 90-day consent has expired; the user must reconnect"
	case now.Sub(rt.LastUsed) > refreshIdleTTL:
		return nil, "Refresh token expired", "refresh token unused for more than 30 days"
	}
	return c, "", ""
}

// providerJSON is one /api/providers item (docs/truelayer.md §7; extra fields per §11).
type providerJSON struct {
	ProviderID   string        `json:"provider_id"`
	DisplayName  string        `json:"display_name"`
	LogoURL      string        `json:"logo_url"`
	Country      string        `json:"country"`
	Scopes       []string      `json:"scopes"`
	Availability *availability `json:"availability,omitempty"`
}

type availability struct {
	RecommendedStatus string `json:"recommended_status"`
	UpdatedAt         string `json:"updated_at"`
}

func (s *Server) logoURL(id string) string { return s.authURL + "/img/banks/" + id + ".svg" }

func (s *Server) handleProviders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out := []providerJSON{}
	if c := q.Get("country"); c != "" && !hasScope(strings.Fields(c), "uk") {
		writeJSON(w, http.StatusOK, out)
		return
	}
	want := strings.Fields(q.Get("scopes"))
	for _, p := range providers {
		ok := true
		for _, sc := range want {
			ok = ok && hasScope(allScopes, sc)
		}
		if !ok {
			continue
		}
		out = append(out, providerJSON{
			ProviderID: p.ID, DisplayName: p.DisplayName, LogoURL: s.logoURL(p.ID), Country: "uk",
			Scopes:       append([]string(nil), allScopes...),
			Availability: &availability{RecommendedStatus: "healthy", UpdatedAt: isoMillis(s.now())},
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// handleDelete revokes the connection behind a Bearer token: its refresh token dies
// and data calls answer 403 access_denied.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	cred, _, terr := s.verifyAccess(bearer(r), s.now())
	if terr != nil {
		writeAuthError(w, http.StatusUnauthorized, "unauthorized", terr.desc, "")
		return
	}
	s.mu.Lock()
	if c := s.creds[cred.ID]; c != nil {
		c.Revoked = true
		delete(s.refresh, c.RefreshToken)
		c.RefreshToken = ""
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// handleReauthURI is the legacy POST /v1/reauthuri: a link that re-authenticates the
// connection behind a refresh token (same flow as extend's authentication_needed).
func (s *Server) handleReauthURI(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ResponseType        string `json:"response_type"`
		RefreshToken        string `json:"refresh_token"`
		RedirectURI         string `json:"redirect_uri"`
		State               string `json:"state"`
		CodeChallenge       string `json:"code_challenge"`
		CodeChallengeMethod string `json:"code_challenge_method"`
		ResponseMode        string `json:"response_mode"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil ||
		req.ResponseType != "code" || req.RefreshToken == "" || !allowedRedirect(req.RedirectURI) ||
		(req.CodeChallengeMethod != "" && req.CodeChallengeMethod != "S256") ||
		(req.ResponseMode != "" && req.ResponseMode != "form_post") {
		writeAuthError(w, http.StatusUnauthorized, "invalid_request", "Invalid request", "invalid reauth request")
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.credForRefreshLocked(req.RefreshToken, now)
	if c == nil {
		writeAuthError(w, http.StatusUnauthorized, "invalid_request", "Invalid request", "Invalid refresh_token")
		return
	}
	link := s.reauthLinkLocked(c, ClientID, req.RedirectURI, req.State, req.CodeChallenge, req.ResponseMode, now)
	writeJSON(w, http.StatusOK, map[string]any{"result": link, "success": true})
}

// credForRefreshLocked finds the live connection behind a refresh token for extend
// and re-auth, which (unlike the refresh grant) still work after consent expiry.
func (s *Server) credForRefreshLocked(token string, now time.Time) *credential {
	rt := s.refresh[tokenKey(token)]
	if rt == nil {
		return nil
	}
	c := s.creds[rt.CredID]
	if c == nil || c.Revoked || now.Sub(c.ConsentExpires) > extendGrace {
		return nil
	}
	return c
}

func (s *Server) handleLogo(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	p, known := providerByID(id)
	if !ok || !known {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	fmt.Fprintf(w, logoSVG, p.DisplayName, p.Colour, p.Short)
}

// logoSVG draws a rounded tile with the bank's initials (fictional banks, no real marks).
const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="%s logo">` +
	`<rect width="64" height="64" rx="14" fill="%s"/>` +
	`<text x="32" y="41" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="24" font-weight="700" fill="#fff">%s</text></svg>`
