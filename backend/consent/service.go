package consent

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"bankdesk/backend/connect"
	"bankdesk/backend/internal/defaults"
	"bankdesk/backend/store"
	"bankdesk/backend/tokens"
	"bankdesk/backend/truelayer"
)

// Service runs the consent lifecycle over one store. Store, Client, Tokens
// and Flow are required; it is safe for concurrent use.
type Service struct {
	Store  *store.Store
	Client *truelayer.Client
	Tokens *tokens.Keeper // the store's one Keeper: it serialises refreshes
	Flow   *connect.Flow
	Now    func() time.Time // nil means time.Now
	Log    *slog.Logger     // nil discards
	// Country, when set, gives a provider's country ("uk", "de", ...) from
	// the bank list Bankdesk has cached, or "" when it does not know; see
	// IsEU.
	Country func(providerID string) string

	mu sync.Mutex // serialises read-modify-writes of the reminder record
}

// Infos describes every stored connection, in the store's order.
func (s *Service) Infos() ([]Info, error) {
	conns, err := s.Store.Connections()
	if err != nil {
		return nil, fmt.Errorf("read connections: %w", err)
	}
	now := s.now()
	out := make([]Info, 0, len(conns))
	for _, c := range conns {
		out = append(out, Of(c, now))
	}
	return out, nil
}

func (s *Service) now() time.Time { return defaults.Now(s.Now) }

func (s *Service) log() *slog.Logger { return defaults.Log(s.Log) }

func (s *Service) isEU(providerID string) bool {
	country := ""
	if s.Country != nil {
		country = s.Country(providerID)
	}
	return IsEU(providerID, country)
}
