package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
)

// problem is the Problem+JSON body of connections/extend errors. errors is an object
// keyed by PascalCase field name, as TrueLayer sends it (docs/truelayer.md §8, §11).
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance"`
	TraceID  string              `json:"trace_id"`
	Errors   map[string][]string `json:"errors,omitempty"`
}

type extendRequest struct {
	UserHasReconfirmedConsent *bool  `json:"user_has_reconfirmed_consent"`
	ClientID                  string `json:"client_id"`
	ClientSecret              string `json:"client_secret"`
	RefreshToken              string `json:"refresh_token"`
	RedirectURI               string `json:"redirect_uri"`
	State                     string `json:"state"`
	CodeChallenge             string `json:"code_challenge"`
	ResponseMode              string `json:"response_mode"`
	User                      *struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"user"`
}

type noActionJSON struct {
	ActionNeeded string `json:"action_needed"`
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

type authNeededJSON struct {
	ActionNeeded  string `json:"action_needed"`
	UserInputLink string `json:"user_input_link"`
}

func problemResult(r *http.Request, status int, title, detail string, errs map[string][]string) *apiResult {
	p := problem{Type: "https://docs.truelayer.com/#connection-api-errors", Title: title, Status: status,
		Detail: detail, Instance: r.URL.Path, TraceID: newUUID(), Errors: errs}
	b, _ := json.Marshal(p)
	return &apiResult{status: status, body: b, contentType: "application/problem+json"}
}

// handleExtend is POST /connections/extend (and /data/v1/connections/extend). It needs
// no access token: the refresh token in the body names the connection.
func (s *Server) handleExtend(w http.ResponseWriter, r *http.Request) {
	res, credID := s.extend(r)
	s.writeResult(w, r, credID, res)
}

func (s *Server) extend(r *http.Request) (*apiResult, string) {
	switch s.takeExtendStatus() {
	case 400:
		return problemResult(r, 400, "One or more validation errors occurred.", "",
			map[string][]string{"RefreshToken": {"The RefreshToken field is invalid."}}), ""
	case 401:
		return problemResult(r, 401, "Unauthorized", "Refresh token missing or invalid.", nil), ""
	case 422:
		return problemResult(r, 422, "No way to extend this connection", "This connection cannot be extended", nil), ""
	}
	var req extendRequest
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &req); err != nil {
		return problemResult(r, 400, "One or more validation errors occurred.", "",
			map[string][]string{"$": {"The request body is not valid JSON."}}), ""
	}
	if errs := validateExtend(&req); len(errs) > 0 {
		return problemResult(r, 400, "One or more validation errors occurred.", "", errs), ""
	}
	if !clientOK(req.ClientID, req.ClientSecret) {
		return problemResult(r, 401, "Unauthorized", "Client credentials missing or invalid.", nil), ""
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.credForRefreshLocked(req.RefreshToken, now)
	if c == nil {
		return problemResult(r, 401, "Unauthorized", "Refresh token missing or invalid.", nil), ""
	}
	if c.User.Extend == extendNoAction {
		// The consent is renewed in place: a new consent from now, rotated tokens.
		newConsent(c, now)
		tok, err := s.issueLocked(c, now)
		if err != nil {
			return problemResult(r, 422, "No way to extend this connection", "This connection cannot be extended", nil), c.ID
		}
		b, _ := json.Marshal(noActionJSON{ActionNeeded: "no_action_needed", AccessToken: tok.AccessToken,
			ExpiresIn: tok.ExpiresIn, RefreshToken: tok.RefreshToken, TokenType: tok.TokenType})
		return &apiResult{status: http.StatusOK, body: b}, c.ID
	}
	link := s.reauthLinkLocked(c, req.ClientID, req.RedirectURI, req.State, req.CodeChallenge, req.ResponseMode, now)
	b, _ := json.Marshal(authNeededJSON{ActionNeeded: "authentication_needed", UserInputLink: link})
	return &apiResult{status: http.StatusOK, body: b}, c.ID
}

// validateExtend reports missing or malformed fields the way TrueLayer's ASP.NET
// validation does.
func validateExtend(req *extendRequest) map[string][]string {
	errs := map[string][]string{}
	required := func(field, v string) {
		if v == "" {
			errs[field] = append(errs[field], "The "+field+" field is required.")
		}
	}
	if req.UserHasReconfirmedConsent == nil {
		errs["UserHasReconfirmedConsent"] = []string{"The UserHasReconfirmedConsent field is required."}
	} else if !*req.UserHasReconfirmedConsent {
		errs["UserHasReconfirmedConsent"] = []string{"Reconfirming consent in the TrueLayer dialog is not supported; set it to true."}
	}
	required("ClientId", req.ClientID)
	required("ClientSecret", req.ClientSecret)
	required("RefreshToken", req.RefreshToken)
	required("RedirectUri", req.RedirectURI)
	if req.RedirectURI != "" && !allowedRedirect(req.RedirectURI) {
		errs["RedirectUri"] = []string{"The RedirectUri is not registered for this client."}
	}
	if req.ResponseMode != "" && req.ResponseMode != "form_post" {
		errs["ResponseMode"] = []string{"The ResponseMode must be form_post when set."}
	}
	switch req.User {
	case nil:
		errs["User"] = []string{"The User field is required."}
	default:
		if req.User.Name == "" {
			errs["User.Name"] = []string{"The Name field is required."}
		}
		if req.User.Email == "" && req.User.Phone == "" {
			errs["User"] = []string{"Either Email or Phone is required."}
		}
	}
	return errs
}
