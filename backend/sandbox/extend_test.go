package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var extendPaths = []string{"/connections/extend", "/data/v1/connections/extend"}

func extendBody(rt string, edit func(m map[string]any)) string {
	m := map[string]any{
		"user_has_reconfirmed_consent": true,
		"client_id":                    ClientID,
		"client_secret":                ClientSecret,
		"refresh_token":                rt,
		"redirect_uri":                 "bankdesk://callback",
		"state":                        "ext-state",
		"user":                         map[string]any{"id": "u-1", "name": "John Doe", "email": "john@doe.com"},
	}
	if edit != nil {
		edit(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func postExtend(t *testing.T, s *Server, path, body string) apiResp {
	t.Helper()
	return do(t, http.MethodPost, s.APIURL()+path, "", strings.NewReader(body), "Content-Type", "application/json")
}

func TestExtendNoActionNeeded(t *testing.T) {
	for _, path := range extendPaths {
		t.Run(path, func(t *testing.T) {
			s, clk := newSandbox(t, Options{})
			tk := connect(t, s, "john", "eternal")
			me1 := get(t, s, tk.AccessToken, "/me").results(t)[0]
			clk.Add(80 * 24 * time.Hour)
			r := postExtend(t, s, path, extendBody(tk.RefreshToken, nil))
			var out map[string]any
			json.Unmarshal(r.Body, &out)
			if r.Status != 200 || out["action_needed"] != "no_action_needed" || out["token_type"] != "Bearer" || out["expires_in"] != float64(3600) {
				t.Fatalf("extend: %d %s", r.Status, r.Body)
			}
			newRT, newAT := out["refresh_token"].(string), out["access_token"].(string)
			if newRT == tk.RefreshToken || newRT == "" || newAT == "" {
				t.Fatal("tokens not rotated")
			}
			if st, _, _ := refresh(t, s, tk.RefreshToken); st != 400 {
				t.Fatal("old refresh token survived extend")
			}
			me2 := get(t, s, newAT, "/me").results(t)[0]
			if me2["credentials_id"] != me1["credentials_id"] || me2["consent_created_at"] == me1["consent_created_at"] {
				t.Fatalf("consent not renewed: %v -> %v", me1, me2)
			}
			created, _ := time.Parse(time.RFC3339, me2["consent_created_at"].(string))
			if !created.Equal(testStart.Add(80 * 24 * time.Hour)) {
				t.Fatalf("new consent created at %s", created)
			}
			// The connection now lives past the original 90 days.
			clk.Add(20 * 24 * time.Hour)
			if st, _, b := refresh(t, s, newRT); st != 200 {
				t.Fatalf("refresh after extend: %d %s", st, b)
			}
		})
	}
}

func TestExtendAuthenticationNeeded(t *testing.T) {
	for _, path := range extendPaths {
		t.Run(path, func(t *testing.T) {
			s, clk := newSandbox(t, Options{})
			tk := connect(t, s, "john", "doe", "provider_id", "ob-kestrel")
			me1 := get(t, s, tk.AccessToken, "/me").results(t)[0]
			cur1, _, card1 := accountIDs(t, s, tk.AccessToken)
			for range 3 {
				clk.Add(28 * 24 * time.Hour)
				_, tk, _ = refresh(t, s, tk.RefreshToken)
			}

			verifier, challenge := pkcePair()
			r := postExtend(t, s, path, extendBody(tk.RefreshToken, func(m map[string]any) { m["code_challenge"] = challenge }))
			var out authNeededJSON
			json.Unmarshal(r.Body, &out)
			if r.Status != 200 || out.ActionNeeded != "authentication_needed" || !strings.HasPrefix(out.UserInputLink, s.AuthURL()+"/") {
				t.Fatalf("extend: %d %s", r.Status, r.Body)
			}
			// The link goes straight to the same bank's login; another user is refused.
			if _, err := Login(context.Background(), nil, out.UserInputLink, "john2", "doe"); err == nil {
				t.Fatal("a different user continued the connection")
			}
			cb, err := Login(context.Background(), nil, out.UserInputLink, "john", "doe")
			if err != nil {
				t.Fatal(err)
			}
			q, _ := url.Parse(cb)
			if q.Query().Get("state") != "ext-state" {
				t.Fatalf("callback = %s", cb)
			}
			clk.Add(2 * time.Minute)
			tk2 := exchange(t, s, q.Query().Get("code"), "code_verifier", verifier)
			me2 := get(t, s, tk2.AccessToken, "/me").results(t)[0]
			if me2["credentials_id"] != me1["credentials_id"] || me2["consent_created_at"] == me1["consent_created_at"] ||
				me2["provider"].(map[string]any)["provider_id"] != "ob-kestrel" {
				t.Fatalf("re-auth: %v -> %v", me1, me2)
			}
			if cur2, _, card2 := accountIDs(t, s, tk2.AccessToken); cur2 != cur1 || card2 != card1 {
				t.Fatal("account ids changed")
			}
			created, _ := time.Parse(time.RFC3339, me2["consent_created_at"].(string))
			if !created.Equal(testStart.Add(84 * 24 * time.Hour)) {
				t.Fatalf("consent created %s", created)
			}
			if st, _, _ := refresh(t, s, tk.RefreshToken); st != 400 {
				t.Fatal("pre-re-auth refresh token survived")
			}
			// The re-authentication opened a new SCA window.
			get(t, s, tk2.AccessToken, "/accounts/"+cur1+"/transactions?from=2021-01-01").results(t)
			clk.Add(30 * 24 * time.Hour) // beyond the old 90 days
			if st, _, b := refresh(t, s, tk2.RefreshToken); st != 200 {
				t.Fatalf("refresh after re-auth: %d %s", st, b)
			}
		})
	}
}

func TestExtendAfterConsentExpiry(t *testing.T) {
	s, clk := newSandbox(t, Options{})
	tk := connect(t, s, "john", "eternal")
	clk.Add(95 * 24 * time.Hour)
	if st, _, _ := refresh(t, s, tk.RefreshToken); st != 400 {
		t.Fatal("refresh should fail after 90 days")
	}
	r := postExtend(t, s, "/data/v1/connections/extend", extendBody(tk.RefreshToken, nil))
	if r.Status != 200 || !strings.Contains(string(r.Body), "no_action_needed") {
		t.Fatalf("extend of an expired connection: %d %s", r.Status, r.Body)
	}
}

func TestExtendErrors(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	cases := []struct {
		name   string
		edit   func(m map[string]any)
		status int
		field  string
	}{
		{"no client_id", func(m map[string]any) { delete(m, "client_id") }, 400, "ClientId"},
		{"no secret", func(m map[string]any) { delete(m, "client_secret") }, 400, "ClientSecret"},
		{"no consent flag", func(m map[string]any) { delete(m, "user_has_reconfirmed_consent") }, 400, "UserHasReconfirmedConsent"},
		{"consent false", func(m map[string]any) { m["user_has_reconfirmed_consent"] = false }, 400, "UserHasReconfirmedConsent"},
		{"no user", func(m map[string]any) { delete(m, "user") }, 400, "User"},
		{"no name", func(m map[string]any) { m["user"] = map[string]any{"email": "a@b.c"} }, 400, "User.Name"},
		{"no contact", func(m map[string]any) { m["user"] = map[string]any{"name": "A"} }, 400, "User"},
		{"bad redirect", func(m map[string]any) { m["redirect_uri"] = "https://evil.example/cb" }, 400, "RedirectUri"},
		{"no refresh", func(m map[string]any) { delete(m, "refresh_token") }, 400, "RefreshToken"},
		{"bad refresh", func(m map[string]any) { m["refresh_token"] = "NOPE" }, 401, ""},
		{"bad secret", func(m map[string]any) { m["client_secret"] = "nope" }, 401, ""},
	}
	for _, tc := range cases {
		r := postExtend(t, s, "/connections/extend", extendBody(tk.RefreshToken, tc.edit))
		var p struct {
			problem
			Errors map[string][]string `json:"errors"`
		}
		json.Unmarshal(r.Body, &p)
		if r.Status != tc.status || p.Status != tc.status || r.Header.Get("Content-Type") != "application/problem+json" ||
			p.TraceID == "" || p.Type == "" || p.Title == "" || p.Instance != "/connections/extend" {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			continue
		}
		if tc.field != "" && len(p.Errors[tc.field]) == 0 {
			t.Errorf("%s: errors = %v", tc.name, p.Errors)
		}
	}
	phone := postExtend(t, s, "/connections/extend", extendBody(tk.RefreshToken, func(m map[string]any) {
		m["user"] = map[string]any{"name": "John Doe", "phone": "+447700900123"}
	}))
	if phone.Status != 200 {
		t.Fatalf("phone instead of email: %d %s", phone.Status, phone.Body)
	}
	if r := postExtend(t, s, "/connections/extend", "{"); r.Status != 400 {
		t.Fatalf("bad JSON: %d", r.Status)
	}
}

func TestExtendStatusFault(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "eternal")
	for _, st := range []int{400, 401, 422} {
		s.SetFaults(Faults{ExtendStatus: st})
		r := postExtend(t, s, extendPaths[st%2], extendBody(tk.RefreshToken, nil))
		var p problem
		json.Unmarshal(r.Body, &p)
		if r.Status != st || p.Status != st || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("extend_status %d: %d %s", st, r.Status, r.Body)
		}
		if s.Faults().ExtendStatus != 0 {
			t.Fatal("extend_status is one-shot")
		}
	}
	r := postExtend(t, s, "/connections/extend", extendBody(tk.RefreshToken, nil))
	if r.Status != 200 {
		t.Fatalf("after the fault: %d %s", r.Status, r.Body)
	}
}

func TestReauthURI(t *testing.T) {
	s, _ := newSandbox(t, Options{})
	tk := connect(t, s, "john", "doe")
	body := `{"response_type":"code","refresh_token":"` + tk.RefreshToken + `","redirect_uri":"bankdesk://callback","state":"re"}`
	r := do(t, http.MethodPost, s.AuthURL()+"/v1/reauthuri", "", strings.NewReader(body), "Content-Type", "application/json")
	var out struct {
		Result  string `json:"result"`
		Success bool   `json:"success"`
	}
	json.Unmarshal(r.Body, &out)
	if r.Status != 200 || !out.Success {
		t.Fatalf("reauthuri: %d %s", r.Status, r.Body)
	}
	q := login(t, s, out.Result, "john", "doe")
	tk2 := exchange(t, s, q.Get("code"))
	if get(t, s, tk2.AccessToken, "/me").results(t)[0]["credentials_id"] != get(t, s, tk.AccessToken, "/me").results(t)[0]["credentials_id"] {
		t.Fatal("reauth created a new connection")
	}
}
