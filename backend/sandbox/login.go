package sandbox

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Login drives the sandbox auth dialog over plain HTTP the way a browser would: it
// opens authLink, allows access, picks a bank if asked (Mock when offered), logs in
// with username/password and returns the final redirect to the client (for example
// "bankdesk://callback?code=...&state=...") without following it. For
// response_mode=form_post it returns redirect_uri with the posted fields as a query.
func Login(ctx context.Context, hc *http.Client, authLink, username, password string) (string, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	start, err := url.Parse(authLink)
	if err != nil {
		return "", fmt.Errorf("sandbox login: parse auth link: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authLink, nil)
	if err != nil {
		return "", fmt.Errorf("sandbox login: %w", err)
	}
	loggedIn := false
	for range 12 {
		resp, err := c.Do(req)
		if err != nil {
			return "", fmt.Errorf("sandbox login: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close() // read in full above
		if err != nil {
			return "", fmt.Errorf("sandbox login: read page: %w", err)
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
			next, err := resp.Request.URL.Parse(loc)
			if err != nil {
				return "", fmt.Errorf("sandbox login: bad redirect %q: %w", loc, err)
			}
			if next.Scheme+"://"+next.Host != start.Scheme+"://"+start.Host {
				return next.String(), nil // left the auth server: this is the client callback
			}
			if req, err = http.NewRequestWithContext(ctx, http.MethodGet, next.String(), nil); err != nil {
				return "", fmt.Errorf("sandbox login: %w", err)
			}
			continue
		}
		page := string(body)
		kind := pageKind(page)
		if kind == "error" || resp.StatusCode >= 400 {
			return "", fmt.Errorf("sandbox login: auth dialog error (%d): %s", resp.StatusCode, elementText(page, "message"))
		}
		form, ok := parseForm(page)
		if !ok {
			return "", fmt.Errorf("sandbox login: no form on %q page", kind)
		}
		switch kind {
		case "consent":
			form.values.Set("action", "allow")
		case "providers":
			pick := ""
			for _, b := range form.buttons {
				if b.name == "provider_id" && (pick == "" || b.value == "mock") {
					pick = b.value
				}
			}
			if pick == "" {
				return "", errors.New("sandbox login: no bank to choose")
			}
			form.values.Set("provider_id", pick)
		case "login":
			if loggedIn {
				return "", fmt.Errorf("sandbox login: %s", elementText(page, "error"))
			}
			form.values.Set("username", username)
			form.values.Set("password", password)
			form.values.Set("action", "login")
			loggedIn = true
		case "form_post":
			target, err := url.Parse(form.action)
			if err != nil {
				return "", fmt.Errorf("sandbox login: bad form_post target: %w", err)
			}
			target.RawQuery = form.values.Encode()
			return target.String(), nil
		default:
			return "", fmt.Errorf("sandbox login: unexpected page %q", kind)
		}
		action, err := resp.Request.URL.Parse(form.action)
		if err != nil {
			return "", fmt.Errorf("sandbox login: bad form action: %w", err)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(form.values.Encode()))
		if err != nil {
			return "", fmt.Errorf("sandbox login: %w", err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return "", errors.New("sandbox login: too many steps")
}

var (
	rePage   = regexp.MustCompile(`data-page="([^"]*)"`)
	reForm   = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	reInput  = regexp.MustCompile(`(?is)<input\b([^>]*)>`)
	reButton = regexp.MustCompile(`(?is)<button\b([^>]*)>`)
	reAttr   = regexp.MustCompile(`([a-zA-Z_:-]+)\s*=\s*"([^"]*)"`)
)

func pageKind(page string) string {
	if m := rePage.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// elementText returns the text of the element with the given id (sandbox pages only).
func elementText(page, id string) string {
	re := regexp.MustCompile(`(?is)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</`)
	if m := re.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(strings.TrimSpace(m[1]))
	}
	return "unknown error"
}

func attrs(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range reAttr.FindAllStringSubmatch(tag, -1) {
		out[strings.ToLower(m[1])] = html.UnescapeString(m[2])
	}
	return out
}

type button struct{ name, value string }

type htmlForm struct {
	action  string
	values  url.Values // hidden inputs
	buttons []button
}

// parseForm reads the first form of a sandbox page: its action, hidden fields and
// submit buttons. It is only meant for the sandbox's own, regular markup.
func parseForm(page string) (htmlForm, bool) {
	m := reForm.FindStringSubmatch(page)
	if m == nil {
		return htmlForm{}, false
	}
	f := htmlForm{action: attrs(m[1])["action"], values: url.Values{}}
	for _, in := range reInput.FindAllStringSubmatch(m[2], -1) {
		a := attrs(in[1])
		if a["type"] == "hidden" && a["name"] != "" {
			f.values.Add(a["name"], a["value"])
		}
	}
	for _, b := range reButton.FindAllStringSubmatch(m[2], -1) {
		a := attrs(b[1])
		f.buttons = append(f.buttons, button{a["name"], a["value"]})
	}
	return f, true
}
