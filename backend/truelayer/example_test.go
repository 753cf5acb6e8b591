package truelayer_test

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"time"

	"bankdesk/backend/internal/spectest"
	"bankdesk/backend/sandbox"
	"bankdesk/backend/truelayer"
)

// A whole connection against the built-in sandbox, which answers as
// TrueLayer's Data API v1 does: the auth link, the user's login at the
// bank, the code exchanged for tokens, then data calls with the access
// token. Against TrueLayer itself only the URLs (truelayer.Preset) and the
// credentials differ.
func ExampleClient() {
	ctx := context.Background()
	bank, err := sandbox.Start(sandbox.Options{
		Now: func() time.Time { return time.Date(2026, 3, 11, 14, 30, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer bank.Close()

	// Every response is checked against TrueLayer's OpenAPI specs.
	specs := spectest.NewRecorder(nil)
	client, err := truelayer.New(truelayer.Config{
		AuthURL: bank.AuthURL(), APIURL: bank.APIURL(),
		ClientID: sandbox.ClientID, ClientSecret: sandbox.ClientSecret,
		RedirectURI: "bankdesk://callback",
		HTTPClient:  specs.Client(),
	})
	if err != nil {
		log.Fatal(err)
	}

	// The link the user opens; the verifier stays here (PKCE).
	verifier := truelayer.NewVerifier()
	link := client.AuthLink(truelayer.AuthLinkParams{
		State: "state-1", ProviderID: "mock", CodeChallenge: truelayer.S256Challenge(verifier),
	})
	// The user logs in at the bank, which redirects to RedirectURI with a
	// code; the sandbox's Login plays the user.
	callback, err := sandbox.Login(ctx, specs.Client(), link, "john", "doe")
	if err != nil {
		log.Fatal(err)
	}
	u, err := url.Parse(callback)
	if err != nil {
		log.Fatal(err)
	}
	token, err := client.Exchange(ctx, u.Query().Get("code"), verifier)
	if err != nil {
		log.Fatal(err)
	}

	accounts, err := client.Accounts(ctx, token.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range accounts {
		bal, err := client.Balance(ctx, token.AccessToken, truelayer.Resource{ID: a.ID})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%s): %s %s\n", a.DisplayName, a.Type, bal.Current, bal.Currency)
	}
	fmt.Println("OpenAPI violations:", len(specs.Failures()))
	// Output:
	// Club Classic Current Account (TRANSACTION): 2660.44 GBP
	// Club Instant Saver (SAVINGS): 11158.85 GBP
	// OpenAPI violations: 0
}
