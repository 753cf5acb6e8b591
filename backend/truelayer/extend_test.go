package truelayer

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestExtendRequestBody(t *testing.T) {
	c, rec := exampleClient(t, "reauthRequiredExample")
	res, err := c.Extend(ctx, ExtendRequest{
		UserHasReconfirmedConsent: true,
		User:                      ExtendUser{ID: "u-1", Name: "Alan Turing", Email: "alan@example.org"},
		RefreshToken:              testRefreshToken,
		State:                     "s-1",
		CodeChallenge:             "challenge",
		ResponseMode:              "form_post",
	}, WithCorrelationID("cid-9"))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	if r.Method != http.MethodPost || r.URL.Path != "/data/v1/connections/extend" || r.Header.Get("Content-Type") != "application/json" ||
		r.Header.Get("X-Client-Correlation-Id") != "cid-9" || r.Header.Get("Authorization") != "" {
		t.Errorf("request %s %s %v", r.Method, r.URL, r.Header)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"user_has_reconfirmed_consent": true,
		"client_id":                    testClientID,
		"client_secret":                testClientSecret,
		"user":                         map[string]any{"id": "u-1", "name": "Alan Turing", "email": "alan@example.org"},
		"refresh_token":                testRefreshToken,
		"redirect_uri":                 "http://127.0.0.1:8765/callback",
		"state":                        "s-1",
		"code_challenge":               "challenge",
		"response_mode":                "form_post",
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("body\n got %s\nwant %s", gotJSON, wantJSON)
	}
	if res.ActionNeeded != ActionAuthentication || !strings.HasPrefix(res.UserInputLink, "https://personal.secure1.natwest.com/") || res.Token != nil {
		t.Errorf("result %+v", res)
	}
}

func TestExtendResults(t *testing.T) {
	t.Run("no action needed", func(t *testing.T) {
		c := newTestClient(t, fixed(200, example(t, "noFurtherActionExample"), nil))
		res, err := c.Extend(ctx, ExtendRequest{UserHasReconfirmedConsent: true, RefreshToken: testRefreshToken, AccessToken: testAccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if res.ActionNeeded != ActionNone || res.Token == nil || res.Token.AccessToken != "ey..." || res.Token.RefreshToken != "ABC123" ||
			res.Token.TokenType != "Bearer" || res.Token.ExpiresIn != 3600*time.Second {
			t.Errorf("result %+v token %#v", res, res.Token)
		}
	})
	t.Run("reconfirmation", func(t *testing.T) {
		c := newTestClient(t, fixed(200, example(t, "goToAuthDialogExample"), nil), func(cfg *Config) { cfg.ExtendPath = "/connections/extend" })
		c2, rec := exampleClient(t, "goToAuthDialogExample", func(cfg *Config) { cfg.ExtendPath = "/connections/extend" })
		for _, cl := range []*Client{c, c2} {
			res, err := cl.Extend(ctx, ExtendRequest{UserHasReconfirmedConsent: true, RefreshToken: testRefreshToken})
			if err != nil || res.ActionNeeded != ActionReconfirmConsent || res.UserInputLink != "https://login.truelayer.com/?session_id=auth-abc123" {
				t.Errorf("result %+v %v", res, err)
			}
		}
		if p := rec.last(t).URL.Path; p != "/connections/extend" {
			t.Errorf("path %s", p)
		}
	})
	t.Run("bearer when given", func(t *testing.T) {
		c, rec := exampleClient(t, "reauthRequiredExample")
		if _, err := c.Extend(ctx, ExtendRequest{RefreshToken: testRefreshToken, AccessToken: testAccessToken}); err != nil {
			t.Fatal(err)
		}
		if rec.last(t).Header.Get("Authorization") != "Bearer "+testAccessToken {
			t.Error("no bearer")
		}
	})
	t.Run("bad answers", func(t *testing.T) {
		for _, body := range []string{`{}`, `{"action_needed":"no_action_needed"}`, `{"action_needed":`} {
			c := newTestClient(t, fixed(200, []byte(body), nil))
			_, err := c.Extend(ctx, ExtendRequest{RefreshToken: testRefreshToken})
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%s: %v", body, err)
			}
			assertNoSecrets(t, "extend", err.Error())
		}
	})
	t.Run("needs refresh token and credentials", func(t *testing.T) {
		c := newTestClient(t, fixed(200, nil, nil))
		if _, err := c.Extend(ctx, ExtendRequest{}); err == nil {
			t.Error("want error")
		}
	})
}
