package desk

import (
	"bytes"
	"context"
	"encoding/base64"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankdesk/backend/internal/testenv"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/store"
	"bankdesk/backend/truelayer"
)

// A full connection against the built-in sandbox leaves no secret and no
// bank data readable anywhere under the data dir or the file-vault dir.
func TestNothingSecretReachesDiskInClear(t *testing.T) {
	sb := testenv.Sandbox(t, nil)
	dataDir, vaultDir := t.TempDir(), t.TempDir()
	const passphrase = "correct horse battery staple"
	cfg := sandboxConfig(t, sb, map[string]string{
		// A TrueLayer-style environment, so the client secret is saved too.
		"BANKDESK_ENV":      "sandbox",
		"BANKDESK_DATA_DIR": dataDir, "BANKDESK_VAULT_DIR": vaultDir, "BANKDESK_PASSPHRASE": passphrase,
	})
	d := openDesk(t, Options{Config: cfg})
	ctx := context.Background()
	verifier := strings.Repeat("v3rifier-", 6) // 54 chars, a valid PKCE verifier
	d.Flow().Verifier = func() string { return verifier }

	// A finished connection, and one attempt left pending (its verifier stored).
	cb := testenv.Callback(t, d.Flow(), "john", "doe")
	u, _ := url.Parse(cb)
	code := u.Query().Get("code")
	res, err := d.Flow().Complete(ctx, cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Flow().Begin(ctx, "mock"); err != nil {
		t.Fatal(err)
	}
	conn, err := d.Store().Connection(res.ConnectionID)
	if err != nil {
		t.Fatal(err)
	}

	// Some transactions, as a sync would store them.
	accts, _ := d.Store().AccountsOf(conn.ID)
	var description string
	for _, a := range accts {
		if a.Kind != store.KindAccount {
			continue
		}
		txs, err := d.Client().Transactions(ctx, conn.AccessToken, truelayer.Resource{ID: a.ID}, time.Now().AddDate(0, -1, 0), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var rows []store.Transaction
		for _, tx := range txs {
			rows = append(rows, store.Transaction{
				AccountID: a.ID, BookedAt: tx.Timestamp.Time, Description: tx.Description, Merchant: tx.MerchantName,
				Amount: tx.SignedAmount(), Currency: tx.Currency, Type: tx.Type, Status: "booked",
				NormalisedProviderID: tx.NormalisedProviderTransactionID, ProviderTransactionID: tx.ProviderTransactionID,
			})
			if len(tx.Description) > len(description) {
				description = tx.Description
			}
		}
		if _, _, err := d.Store().PutTransactions(a.ID, rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	secrets := map[string]string{
		"access token":        conn.AccessToken,
		"refresh token":       conn.RefreshToken,
		"client secret":       sandbox.ClientSecret,
		"auth code":           code,
		"PKCE verifier":       verifier,
		"passphrase":          passphrase,
		"transaction text":    description,
		"account number":      accts[0].Number,
		"access token (tail)": conn.AccessToken[len(conn.AccessToken)-40:],
	}
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s %q too short to scan for meaningfully", name, s)
		}
	}
	files := 0
	for _, dir := range []string{dataDir, vaultDir} {
		_ = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error { // files counts what was read
			if err != nil || e.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for name, s := range secrets {
				for _, form := range [][]byte{[]byte(s), []byte(base64.StdEncoding.EncodeToString([]byte(s)))} {
					if bytes.Contains(b, form) {
						t.Errorf("%s found in clear in %s", name, path)
					}
				}
			}
			return nil
		})
	}
	if files < 2 {
		t.Fatalf("scanned only %d files: the test is not looking at the store", files)
	}

	// And it all opens again with the passphrase (the test is not vacuous),
	// the client credentials coming from the vault this time.
	cfg.ClientID, cfg.ClientSecret = "", ""
	d = openDesk(t, Options{Config: cfg})
	again, err := d.Store().Connection(res.ConnectionID)
	if err != nil || again.RefreshToken != conn.RefreshToken {
		t.Fatalf("reopened store lost the connection: %v", err)
	}
	if n, _ := d.Store().CountTransactions(accts[0].ID); n == 0 {
		t.Fatal("no transactions stored: the scan proved nothing")
	}
	if d.Config().ClientID != sandbox.ClientID || d.Config().ClientSecret != sandbox.ClientSecret {
		t.Fatal("saved client credentials did not come back from the vault")
	}
}
