package store

import (
	"errors"
	"testing"
	"time"
)

func TestStandingOrdersAreReplacedWholesale(t *testing.T) {
	st, _ := openTemp(t, newGCMSealer())
	withAccount(t, st, "c", "acc")
	if got, err := st.StandingOrders("acc"); err != nil || got != nil {
		t.Fatalf("before any put: %v, %v", got, err)
	}
	local := time.FixedZone("BST", 3600)
	rent := StandingOrder{
		Frequency: "IntrvlMnthDay:01:01", Status: "Active", Payee: "J SMITH LETTINGS", Reference: "RENT",
		Currency: "GBP", NextPaymentDate: time.Date(2026, 4, 1, 1, 0, 0, 0, local), NextPaymentAmount: decp("1250.00"),
		FinalPaymentDate: day("9999-12-31"), ProviderAccountID: "12345678",
	}
	gift := StandingOrder{Frequency: "IntrvlMnthDay:01:15", Payee: "OXFAM", NextPaymentAmount: decp("10")}
	mustNoErr(t, st.PutStandingOrders("acc", []StandingOrder{rent, gift}))
	got, err := st.StandingOrders("acc")
	mustNoErr(t, err)
	rent.NextPaymentDate = rent.NextPaymentDate.UTC() // stored in UTC
	sameJSON(t, "standing orders", got, []StandingOrder{rent, gift})

	mustNoErr(t, st.PutStandingOrders("acc", []StandingOrder{gift}))
	got, _ = st.StandingOrders("acc")
	sameJSON(t, "after replacing", got, []StandingOrder{gift})

	mustNoErr(t, st.PutStandingOrders("acc", nil))
	if got, err := st.StandingOrders("acc"); err != nil || got != nil {
		t.Fatalf("after clearing: %v, %v", got, err)
	}
	if err := st.PutStandingOrders("nope", []StandingOrder{gift}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

func TestDirectDebitsRoundTripAndGoWithTheAccount(t *testing.T) {
	st, _ := openTemp(t, newGCMSealer())
	withAccount(t, st, "c", "acc")
	dd := []DirectDebit{{
		Name: "THAMES WATER", Status: "Active", MandateID: "TW-000184", Currency: "GBP",
		PreviousPaymentAt: day("2026-03-04"), PreviousPaymentAmount: decp("38.20"), ProviderAccountID: "12345678",
	}}
	mustNoErr(t, st.PutDirectDebits("acc", dd))
	got, err := st.DirectDebits("acc")
	mustNoErr(t, err)
	sameJSON(t, "direct debits", got, dd)

	mustNoErr(t, st.PutStandingOrders("acc", []StandingOrder{{Frequency: "EvryDay"}}))
	mustNoErr(t, st.DeleteConnection("c", false))
	for name, read := range map[string]func() (int, error){
		"direct debits":   func() (int, error) { x, err := st.DirectDebits("acc"); return len(x), err },
		"standing orders": func() (int, error) { x, err := st.StandingOrders("acc"); return len(x), err },
	} {
		if n, err := read(); n != 0 || err != nil {
			t.Errorf("%s survived deleting the connection: %d, %v", name, n, err)
		}
	}
}

// A data file written before standing orders existed (schema 1) gains their
// buckets on open and keeps everything else.
func TestSchemaOneFileGainsRecurringBuckets(t *testing.T) {
	saved := migrations
	migrations, currentSchemaVersion = saved[:1], 1
	st, path := openTemp(t, xorSealer{})
	withAccount(t, st, "c", "acc")
	mustNoErr(t, st.Close())
	migrations, currentSchemaVersion = saved, len(saved)

	st, err := Open(path, xorSealer{}, Options{})
	mustNoErr(t, err)
	defer st.Close()
	if st.SchemaVersion() != currentSchemaVersion {
		t.Fatalf("SchemaVersion = %d, want %d", st.SchemaVersion(), currentSchemaVersion)
	}
	if _, err := st.Account("acc"); err != nil {
		t.Fatalf("account lost in the upgrade: %v", err)
	}
	mustNoErr(t, st.PutStandingOrders("acc", []StandingOrder{{Frequency: "EvryDay"}}))
	mustNoErr(t, st.PutDirectDebits("acc", []DirectDebit{{Name: "EE"}}))
}
