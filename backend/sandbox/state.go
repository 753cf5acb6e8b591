package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// tokenKey is how the sandbox knows a refresh token or an authorisation
// code: by its SHA-256, never the token itself, so its state (State) holds
// nothing a client could present.
func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// stateVersion is the format of State; a state of another version is
// refused, not half read.
const stateVersion = 1

// savedState is what a restart must keep to honour what was issued. Access
// tokens are not kept: an old one is refused (401), and a client refreshes
// it, as with a real bank.
type savedState struct {
	Version int                      `json:"version"`
	Creds   map[string]*credential   `json:"creds"`
	Refresh map[string]*refreshToken `json:"refresh"` // by tokenKey
	Codes   map[string]*authCode     `json:"codes"`   // by tokenKey
}

// State is the sandbox's connections, their consents and clocks, live
// refresh tokens (as hashes) and pending codes, for Options.State of a
// later run. It holds no token a client could use.
func (s *Server) State() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return json.Marshal(savedState{Version: stateVersion, Creds: s.creds, Refresh: s.refresh, Codes: s.codes})
}

// restore takes what State wrote; nil or empty restores nothing.
func (s *Server) restore(raw []byte) error {
	if len(raw) == 0 {
		return nil
	}
	var st savedState
	if err := json.Unmarshal(raw, &st); err != nil {
		return err
	}
	if st.Version != stateVersion {
		return fmt.Errorf("state version %d, want %d", st.Version, stateVersion)
	}
	for id, c := range st.Creds {
		s.creds[id] = c
	}
	for k, rt := range st.Refresh {
		s.refresh[k] = rt
	}
	for k, ac := range st.Codes {
		s.codes[k] = ac
	}
	return nil
}

// persist hands the state to Options.Persist, if set.
func (s *Server) persist() {
	if s.opts.Persist == nil {
		return
	}
	raw, err := s.State()
	if err != nil {
		s.log.Warn("sandbox state not kept", "err", err)
		return
	}
	s.opts.Persist(raw)
}
