package store

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestNothingSecretIsInClear writes every kind of record with recognisable
// secrets, closes the file and scans every byte of it.
func TestNothingSecretIsInClear(t *testing.T) {
	st, path := openTemp(t, newGCMSealer())
	c := sampleConnection("conn-1")
	c.AccessToken = "eyJhbGciOi-ACCESS-f00dfeed"
	c.RefreshToken = "REFRESH-cafebabe-1234"
	mustNoErr(t, st.PutConnection(c))
	mustNoErr(t, st.PutAccounts("conn-1", []Account{{ID: "acc", Kind: KindAccount, DisplayName: "Club Lloyds Secret", IBAN: "GB35LOYD12345678901234", HolderName: "Jane Q Holder"}}))
	mustNoErr(t, st.PutBalance(Balance{AccountID: "acc", Current: dec("98765.4321")}))
	var txs []Transaction
	for i := range 50 {
		txs = append(txs, Transaction{
			BookedAt:    day("2026-01-01").AddDate(0, 0, i),
			Description: "SECRET SHOP DESCRIPTION",
			Merchant:    "Hidden Merchant Ltd",
			Amount:      dec("-1234.5678"),
			Meta:        map[string]string{"counter_party_iban": "GB00SECRETIBAN"},
		})
	}
	_, _, err := st.PutTransactions("acc", txs)
	mustNoErr(t, err)
	mustNoErr(t, st.ReplacePending("acc", []Transaction{{BookedAt: day("2026-03-01"), Description: "PENDING SECRET PURCHASE", Amount: dec("-1")}}))
	// The person's own fields, on a booked row and on a pending one (whose
	// shape the store keeps beside them), linked as a transfer.
	booked := all(t, st, "acc")
	mustNoErr(t, st.SetUserFields("acc", booked[0].Key,
		UserFields{Category: "SECRET-USER-CATEGORY", Note: "SECRET USER NOTE", Tags: []string{"SECRET-TAG"}, Payee: "SECRET PAYEE NAME", Hidden: true}))
	pending, err := st.Pending("acc")
	mustNoErr(t, err)
	mustNoErr(t, st.SetUserFields("acc", pending[0].Key, UserFields{Note: "SECRET PENDING NOTE", TransferWith: &TxRef{"acc", booked[1].Key}}))
	mustNoErr(t, st.PutAttempt(Attempt{State: "s", Verifier: "PKCE-VERIFIER-SECRET", ExpiresAt: time.Now().Add(time.Hour)}))
	mustNoErr(t, st.PutSetting("profile", []byte("SETTING-VALUE-SECRET")))
	mustNoErr(t, st.PutCheckpoint("acc", []byte("CHECKPOINT-SECRET")))
	mustNoErr(t, st.PutStandingOrders("acc", []StandingOrder{{Frequency: "EvryDay", Payee: "SECRET LANDLORD", NextPaymentAmount: decp("4321.09")}}))
	mustNoErr(t, st.PutDirectDebits("acc", []DirectDebit{{Name: "SECRET UTILITY CO", MandateID: "MANDATE-SECRET-77"}}))
	mustNoErr(t, st.PutProviders(time.Now(), []byte(`{"provider":"PROVIDERS-LIST-MARKER"}`)))
	mustNoErr(t, st.Close())

	raw, err := os.ReadFile(path)
	mustNoErr(t, err)
	for _, secret := range []string{
		c.AccessToken, c.RefreshToken, c.CredentialsID, c.User.Email, c.User.Phone, c.User.Name,
		"Club Lloyds Secret", "GB35LOYD12345678901234", "Jane Q Holder", "98765.4321",
		"SECRET SHOP DESCRIPTION", "Hidden Merchant Ltd", "1234.5678", "GB00SECRETIBAN",
		"PENDING SECRET PURCHASE", "PKCE-VERIFIER-SECRET", "SETTING-VALUE-SECRET", "CHECKPOINT-SECRET",
		"PROVIDERS-LIST-MARKER", "SECRET LANDLORD", "4321.09", "SECRET UTILITY CO", "MANDATE-SECRET-77",
		"SECRET-USER-CATEGORY", "SECRET USER NOTE", "SECRET-TAG", "SECRET PAYEE NAME", "SECRET PENDING NOTE",
		`"access_token"`, `"d":`, `"transfer_with"`, `"fields"`,
	} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%q is in clear in the file", secret)
		}
	}
}

// editRaw changes the file under the store's feet, as an attacker with the
// file would.
func editRaw(t *testing.T, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	mustNoErr(t, err)
	defer db.Close()
	mustNoErr(t, db.Update(fn))
}

func wantTamperError(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, errTampered) || !errors.Is(err, ErrUnreadable) {
		t.Errorf("%s: %v, want the sealer's error wrapped with ErrUnreadable", what, err)
	}
}

func TestFlippedByteIsDetected(t *testing.T) {
	sealer := newGCMSealer()
	st, path := openTemp(t, sealer)
	mustNoErr(t, st.PutConnection(sampleConnection("conn-1")))
	key := st.key(bucketConnections, []byte("conn-1"))
	mustNoErr(t, st.Close())

	editRaw(t, path, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketConnections)
		v := bytes.Clone(b.Get(key))
		v[len(v)/2] ^= 0x01
		return b.Put(key, v)
	})
	st, err := Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	_, err = st.Connection("conn-1")
	wantTamperError(t, "Connection", err)
	if err != nil && !bytes.Contains([]byte(err.Error()), []byte("connections/conn-1")) {
		t.Errorf("error does not name the record: %v", err)
	}
	// A listing leaves the bad record out, and reports it once.
	conns, err := st.Connections()
	if err != nil || len(conns) != 0 {
		t.Errorf("Connections: %v, %v: want the bad one left out", conns, err)
	}
	wantDamaged(t, st, "connections", printableKey(key))
}

// wantDamaged checks that the store reports the record as damaged, with
// the sealer's error.
func wantDamaged(t *testing.T, st *Store, bucket, key string) {
	t.Helper()
	for _, d := range st.Damaged() {
		if d.Bucket == bucket && (key == "" || d.Key == key) {
			wantTamperError(t, "Damaged "+bucket+"/"+d.Key, d.Err)
			return
		}
	}
	t.Errorf("%s/%s not reported in Damaged (%+v)", bucket, key, st.Damaged())
}

func TestSwappedValuesAreDetected(t *testing.T) {
	sealer := newGCMSealer()
	st, path := openTemp(t, sealer)
	mustNoErr(t, st.PutConnection(sampleConnection("conn-1")))
	mustNoErr(t, st.PutConnection(sampleConnection("conn-2")))
	withAccount(t, st, "conn-1", "acc")
	_, _, err := st.PutTransactions("acc", []Transaction{
		{BookedAt: day("2026-01-01"), Description: "SMALL", Amount: dec("-1")},
		{BookedAt: day("2026-01-02"), Description: "LARGE", Amount: dec("-1000")},
	})
	mustNoErr(t, err)
	mustNoErr(t, st.PutSetting("a", []byte("1")))
	c1, c2 := st.key(bucketConnections, []byte("conn-1")), st.key(bucketConnections, []byte("conn-2"))
	cpA, setA := st.key(bucketCheckpoints, []byte("a")), st.key(bucketSettings, []byte("a"))
	mustNoErr(t, st.Close())

	editRaw(t, path, func(tx *bbolt.Tx) error {
		swap := func(b *bbolt.Bucket, k1, k2 []byte) error {
			v1, v2 := bytes.Clone(b.Get(k1)), bytes.Clone(b.Get(k2))
			if err := b.Put(k1, v2); err != nil {
				return err
			}
			return b.Put(k2, v1)
		}
		if err := swap(tx.Bucket(bucketConnections), c1, c2); err != nil {
			return err
		}
		var keys [][]byte
		c := tx.Bucket(bucketTransactions).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if id, _ := recordID(k); id != 0 { // 0: a month index
				keys = append(keys, bytes.Clone(k))
			}
		}
		if len(keys) != 2 {
			t.Fatalf("%d transaction keys", len(keys))
		}
		if err := swap(tx.Bucket(bucketTransactions), keys[0], keys[1]); err != nil {
			return err
		}
		// A value moved to the same key in another bucket.
		return tx.Bucket(bucketCheckpoints).Put(cpA, tx.Bucket(bucketSettings).Get(setA))
	})
	st, err = Open(path, sealer, Options{})
	mustNoErr(t, err)
	defer st.Close()
	_, err = st.Connection("conn-1")
	wantTamperError(t, "swapped connection", err)
	// Walks leave swapped transactions out and report them.
	if got, err := st.NewestTransactions("acc", 10); err != nil || len(got) != 0 {
		t.Errorf("swapped transactions: %v %v, want both left out", got, err)
	}
	n := 0
	if err := st.Transactions("acc", 0, 0, func(Transaction) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("swapped transactions (range): %d, %v", n, err)
	}
	wantDamaged(t, st, "transactions", "")
	// A checkpoint that cannot be read is not found (the sync starts the
	// account afresh) and still says why.
	_, err = st.Checkpoint("a")
	wantTamperError(t, "value moved across buckets", err)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("an unreadable checkpoint: %v, want it not found too", err)
	}
}
