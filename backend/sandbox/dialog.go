package sandbox

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

type dialogStep int

const (
	stepConsent dialogStep = iota
	stepProvider
	stepLogin
	stepDone
)

// dialog is one auth-dialog session, kept server side and named by a hidden field.
type dialog struct {
	ID           string
	Created      time.Time
	ClientID     string
	RedirectURI  string
	State        string
	ResponseMode string // "" (query) or "form_post"
	Challenge    string
	Scopes       []string
	Choices      []provider
	ProviderID   string
	Step         dialogStep
	ReauthCred   string // set for extend / reauthuri links
	ReauthUser   string // the username that must log in to continue that connection
}

type formField struct{ Name, Value string }

type pageData struct {
	Title     string
	Page      string
	SessionID string
	Scopes    []string
	Providers []provider
	Provider  provider
	Username  string
	Error     string
	Message   string
	Action    template.URL
	Fields    []formField
}

// dialogHeaders mirror TrueLayer: the dialog refuses to be framed
// (https://docs.truelayer.com/docs/generate-an-auth-link).
func dialogHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		s.log.Error("sandbox template", "page", name, "err", err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	dialogHeaders(w)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a client that hung up has nothing to be told
}

func (s *Server) errorPage(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", pageData{Title: "Error", Page: "error", Message: msg})
}

// handleDialogStart validates an auth link (GET /?response_type=code&...) and shows
// the first page. Invalid links get an error page, never a redirect, because the
// redirect_uri may be the thing that is wrong.
func (s *Server) handleDialogStart(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if sid := q.Get("session_id"); sid != "" && len(q) == 1 {
		s.showDialog(w, sid)
		return
	}
	d, msg := s.parseAuthLink(q)
	if msg != "" {
		s.errorPage(w, http.StatusBadRequest, msg)
		return
	}
	s.mu.Lock()
	s.pruneDialogsLocked(d.Created)
	s.dialogs[d.ID] = d
	s.mu.Unlock()
	s.showDialog(w, d.ID)
}

func (s *Server) parseAuthLink(q url.Values) (*dialog, string) {
	switch {
	case q.Get("response_type") != "code":
		return nil, "The response_type parameter must be \"code\"."
	case q.Get("client_id") == "":
		return nil, "The client_id parameter is missing."
	case q.Get("client_id") != ClientID:
		return nil, "Unknown client_id. The sandbox only knows " + ClientID + "."
	case q.Get("redirect_uri") == "":
		return nil, "The redirect_uri parameter is missing."
	case !allowedRedirect(q.Get("redirect_uri")):
		return nil, "The redirect_uri is not registered for this client."
	}
	// url.Values already decodes both %20 and + to spaces.
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		return nil, "The scope parameter is missing."
	}
	for _, sc := range scopes {
		if !knownScope(sc) {
			return nil, "Unknown scope \"" + sc + "\"."
		}
	}
	mode := q.Get("response_mode")
	if mode == "query" {
		mode = ""
	}
	if mode != "" && mode != "form_post" {
		return nil, "The response_mode parameter must be form_post or query."
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if (challenge != "" || method != "") && (challenge == "" || method != "S256") {
		return nil, "PKCE needs code_challenge together with code_challenge_method=S256."
	}
	choices := offeredProviders(q)
	if len(choices) == 0 {
		return nil, "No bank matches the providers parameter."
	}
	d := &dialog{
		ID: "auth-" + randURLSafe(24), Created: s.now(),
		ClientID: ClientID, RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		ResponseMode: mode, Challenge: challenge, Scopes: scopes, Choices: choices,
	}
	if pid := q.Get("provider_id"); pid != "" {
		if !containsProvider(choices, pid) {
			return nil, "The provider_id \"" + pid + "\" is not available with these providers."
		}
		d.ProviderID = pid
	}
	return d, ""
}

// offeredProviders applies providers / enable_mock / disable_providers. Without a
// providers parameter the sandbox offers every bank, Mock included.
func offeredProviders(q url.Values) []provider {
	groups := strings.Fields(q.Get("providers"))
	want := map[string]bool{}
	if len(groups) == 0 {
		for _, p := range providers {
			want[p.ID] = true
		}
	}
	for _, g := range groups {
		switch g {
		case "uk-ob-all":
			for _, p := range providers {
				if strings.HasPrefix(p.ID, "ob-") {
					want[p.ID] = true
				}
			}
		case "uk-cs-mock", "mock":
			want["mock"] = true
		default:
			want[g] = true
		}
	}
	if q.Get("enable_mock") == "true" {
		want["mock"] = true
	}
	for _, id := range strings.Fields(q.Get("disable_providers")) {
		delete(want, id)
	}
	var out []provider
	for _, p := range providers {
		if want[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

func containsProvider(ps []provider, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

// lookupDialog returns a live dialog or an error message for the page.
func (s *Server) lookupDialog(id string, want dialogStep) (*dialog, string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.dialogs[id]
	switch {
	case d == nil:
		return nil, "This sign-in session does not exist. Start again from Bankdesk."
	case now.Sub(d.Created) > dialogTTL || d.Step == stepDone:
		delete(s.dialogs, id)
		return nil, "This sign-in session has expired or was already used. Start again from Bankdesk."
	case want >= 0 && d.Step != want:
		return nil, "This page is out of date. Start again from Bankdesk."
	}
	cp := *d
	return &cp, ""
}

func (s *Server) showDialog(w http.ResponseWriter, id string) {
	d, msg := s.lookupDialog(id, -1)
	if msg != "" {
		s.errorPage(w, http.StatusBadRequest, msg)
		return
	}
	switch d.Step {
	case stepConsent:
		texts := make([]string, len(d.Scopes))
		for i, sc := range d.Scopes {
			texts[i] = scopeText[sc]
		}
		s.render(w, http.StatusOK, "consent", pageData{Title: "Allow access", Page: "consent", SessionID: d.ID, Scopes: texts})
	case stepProvider:
		s.render(w, http.StatusOK, "providers", pageData{Title: "Choose your bank", Page: "providers", SessionID: d.ID, Providers: d.Choices})
	default:
		s.renderLogin(w, http.StatusOK, d, "", "")
	}
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, d *dialog, username, errMsg string) {
	p, _ := providerByID(d.ProviderID)
	s.render(w, status, "login", pageData{Title: "Log in to " + p.DisplayName, Page: "login", SessionID: d.ID,
		Provider: p, Username: username, Error: errMsg})
}

func (s *Server) handleDialogPage(w http.ResponseWriter, r *http.Request) {
	s.showDialog(w, r.URL.Query().Get("session_id"))
}

// advance moves the dialog to step and redirects (POST/redirect/GET) to its page.
func (s *Server) advance(w http.ResponseWriter, r *http.Request, id string, mutate func(d *dialog)) {
	s.mu.Lock()
	if d := s.dialogs[id]; d != nil {
		mutate(d)
	}
	s.mu.Unlock()
	http.Redirect(w, r, "/dialog?session_id="+url.QueryEscape(id), http.StatusSeeOther)
}

// postedStep is the live dialog a form of step want was posted for; nil
// when it has answered already: with an error page, or by cancelling the
// dialog when the person pressed cancel.
func (s *Server) postedStep(w http.ResponseWriter, r *http.Request, want dialogStep) *dialog {
	d, msg := s.lookupDialog(r.PostFormValue("session_id"), want)
	if msg != "" {
		s.errorPage(w, http.StatusBadRequest, msg)
		return nil
	}
	if r.PostFormValue("action") == "cancel" {
		s.cancel(w, r, d)
		return nil
	}
	return d
}

func (s *Server) handleDialogConsent(w http.ResponseWriter, r *http.Request) {
	d := s.postedStep(w, r, stepConsent)
	if d == nil {
		return
	}
	switch r.PostFormValue("action") {
	case "allow":
		s.advance(w, r, d.ID, func(d *dialog) {
			d.Step = stepProvider
			if d.ProviderID != "" {
				d.Step = stepLogin
			}
		})
	default:
		s.errorPage(w, http.StatusBadRequest, "Unknown action.")
	}
}

func (s *Server) handleDialogProvider(w http.ResponseWriter, r *http.Request) {
	d := s.postedStep(w, r, stepProvider)
	if d == nil {
		return
	}
	pid := r.PostFormValue("provider_id")
	if !containsProvider(d.Choices, pid) {
		s.errorPage(w, http.StatusBadRequest, "Unknown bank.")
		return
	}
	s.advance(w, r, d.ID, func(d *dialog) { d.ProviderID, d.Step = pid, stepLogin })
}

func (s *Server) handleDialogLogin(w http.ResponseWriter, r *http.Request) {
	d := s.postedStep(w, r, stepLogin)
	if d == nil {
		return
	}
	username, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	user, ok := checkLogin(username, password)
	if !ok {
		s.renderLogin(w, http.StatusOK, d, username, "The username or password is incorrect. Please try again.")
		return
	}
	if d.ReauthUser != "" && username != d.ReauthUser {
		s.renderLogin(w, http.StatusOK, d, username, "Please log in as the account holder of this connection.")
		return
	}
	now := s.now()
	code := randURLSafe(32)
	s.mu.Lock()
	if cur := s.dialogs[d.ID]; cur == nil || cur.Step != stepLogin {
		s.mu.Unlock()
		s.errorPage(w, http.StatusBadRequest, "This sign-in session was already used.")
		return
	}
	s.dialogs[d.ID].Step = stepDone
	delete(s.dialogs, d.ID)
	s.codes[tokenKey(code)] = &authCode{
		ClientID: d.ClientID, RedirectURI: d.RedirectURI, Challenge: d.Challenge, Scopes: d.Scopes,
		User: user, ProviderID: d.ProviderID, AuthTime: now, Expires: now.Add(codeTTL), ReauthCred: d.ReauthCred,
	}
	s.pruneCodesLocked(now)
	s.mu.Unlock()
	params := url.Values{"code": {code}, "scope": {strings.Join(d.Scopes, " ")}}
	if d.State != "" {
		params.Set("state", d.State)
	}
	s.respondToClient(w, r, d, params)
}

// pruneDialogsLocked forgets abandoned dialogs once there are many of them.
func (s *Server) pruneDialogsLocked(now time.Time) {
	if len(s.dialogs) < 1024 {
		return
	}
	for k, d := range s.dialogs {
		if now.Sub(d.Created) > dialogTTL {
			delete(s.dialogs, k)
		}
	}
}

func (s *Server) pruneCodesLocked(now time.Time) {
	if len(s.codes) < 1024 {
		return
	}
	for k, c := range s.codes {
		if now.Sub(c.Expires) > time.Hour {
			delete(s.codes, k)
		}
	}
}

// cancel ends the dialog and returns error=access_denied to the client
// (https://docs.truelayer.com/docs/customise-the-auth-dialog, docs/truelayer.md §2).
func (s *Server) cancel(w http.ResponseWriter, r *http.Request, d *dialog) {
	s.mu.Lock()
	delete(s.dialogs, d.ID)
	s.mu.Unlock()
	params := url.Values{"error": {"access_denied"}, "error_description": {"The user cancelled the authorisation."}}
	if d.State != "" {
		params.Set("state", d.State)
	}
	s.respondToClient(w, r, d, params)
}

// respondToClient hands the result to redirect_uri: a 302 with query parameters, or
// for response_mode=form_post an auto-submitting form.
func (s *Server) respondToClient(w http.ResponseWriter, r *http.Request, d *dialog, params url.Values) {
	if d.ResponseMode == "form_post" {
		var fields []formField
		for _, k := range []string{"code", "scope", "state", "error", "error_description"} {
			if v := params.Get(k); v != "" {
				fields = append(fields, formField{k, v})
			}
		}
		// The redirect_uri was checked against the allow-list, so it is safe to mark as
		// a URL (html/template would otherwise reject the bankdesk: scheme).
		s.render(w, http.StatusOK, "formpost", pageData{Title: "Returning to Bankdesk", Page: "form_post",
			Action: template.URL(d.RedirectURI), Fields: fields})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", d.RedirectURI+"?"+params.Encode())
	w.WriteHeader(http.StatusFound)
}

// reauthLinkLocked creates a dialog that continues connection c at its own bank, for
// extend's authentication_needed and /v1/reauthuri. Consent was reconfirmed in the
// client, so the dialog goes straight to the bank login.
func (s *Server) reauthLinkLocked(c *credential, clientID, redirectURI, state, challenge, mode string, now time.Time) string {
	p, _ := providerByID(c.ProviderID)
	d := &dialog{
		ID: "auth-" + randURLSafe(24), Created: now, ClientID: clientID, RedirectURI: redirectURI,
		State: state, ResponseMode: mode, Challenge: challenge, Scopes: append([]string(nil), c.Scopes...),
		Choices: []provider{p}, ProviderID: c.ProviderID, Step: stepLogin,
		ReauthCred: c.ID, ReauthUser: c.User.Username,
	}
	s.dialogs[d.ID] = d
	return s.authURL + "/?session_id=" + url.QueryEscape(d.ID)
}
