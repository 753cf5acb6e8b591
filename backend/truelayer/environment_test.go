package truelayer

import "testing"

func TestPreset(t *testing.T) {
	tests := []struct {
		env       Environment
		auth, api string
		wantErr   bool
	}{
		{EnvSandbox, "https://auth.truelayer-sandbox.com", "https://api.truelayer-sandbox.com", false},
		{EnvLive, "https://auth.truelayer.com", "https://api.truelayer.com", false},
		{EnvBuiltin, "", "", false},
		{"staging", "", "", true},
	}
	for _, tt := range tests {
		auth, api, err := Preset(tt.env)
		if (err != nil) != tt.wantErr || auth != tt.auth || api != tt.api {
			t.Errorf("Preset(%q) = %q, %q, %v", tt.env, auth, api, err)
		}
	}
}

func TestParseEnvironment(t *testing.T) {
	for in, want := range map[string]Environment{"builtin": EnvBuiltin, " Sandbox ": EnvSandbox, "LIVE": EnvLive} {
		got, err := ParseEnvironment(in)
		if err != nil || got != want {
			t.Errorf("ParseEnvironment(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "prod", "api.truelayer.com"} {
		if _, err := ParseEnvironment(in); err == nil {
			t.Errorf("ParseEnvironment(%q): want error", in)
		}
	}
}
