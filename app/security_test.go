package app

import (
	"context"
	"errors"
	"testing"

	"bankdesk/backend/desk"
	"bankdesk/backend/vault"
)

// Lock closes the vault: nothing reads the data until the passphrase is
// typed again, and a wrong one does not open it.
func TestLockAsksForThePassphraseAgain(t *testing.T) {
	a, _ := newTestApp(t)
	unlock(t, a)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	if v := a.Vault(); v.Ready || !v.NeedPassphrase {
		t.Fatalf("after Lock the vault says %+v", v)
	}
	if _, err := a.Accounts(); !errors.Is(err, vault.ErrNeedPassphrase) {
		t.Fatalf("Accounts after Lock: %v", err)
	}
	if err := a.Unlock("not the passphrase"); err == nil {
		t.Fatal("a wrong passphrase unlocked")
	}
	unlock(t, a)
	if _, err := a.Accounts(); err != nil {
		t.Fatalf("Accounts after unlocking again: %v", err)
	}
}

// BANKDESK_PASSPHRASE opens the vault without asking; Lock still locks it.
func TestLockHoldsAgainstTheEnvironmentsPassphrase(t *testing.T) {
	cfg := testConfig(t)
	cfg.Passphrase = "test passphrase 1"
	a := openApp(t, cfg, &fakeRuntime{})
	if _, err := a.Accounts(); err != nil {
		t.Fatal(err)
	}
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Accounts(); !errors.Is(err, vault.ErrNeedPassphrase) {
		t.Fatalf("Accounts after Lock: %v", err)
	}
}

// The window changes the passphrase: a wrong current one changes nothing
// and the app keeps working; the right one makes the new passphrase the
// only one that unlocks.
func TestChangePassphraseInTheWindow(t *testing.T) {
	a, _ := newTestApp(t)
	unlock(t, a)
	if err := a.ChangePassphrase("not the passphrase", "test passphrase 2"); err == nil {
		t.Fatal("a wrong current passphrase was accepted")
	}
	if _, err := a.Accounts(); err != nil {
		t.Fatalf("after a refused change: %v", err)
	}
	if err := a.ChangePassphrase("test passphrase 1", "short"); !errors.Is(err, vault.ErrPassphraseTooShort) {
		t.Fatalf("a too short passphrase: %v", err)
	}
	if err := a.ChangePassphrase("test passphrase 1", "test passphrase 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Accounts(); err != nil {
		t.Fatalf("after the change: %v", err)
	}
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := a.Unlock("test passphrase 1"); err == nil {
		t.Fatal("the old passphrase still unlocks")
	}
	if err := a.Unlock("test passphrase 2"); err != nil {
		t.Fatalf("the new passphrase: %v", err)
	}
}

// The auto-lock period is one Settings offers, kept across a restart.
func TestAutoLockIsSaved(t *testing.T) {
	cfg := testConfig(t)
	cfg.Passphrase = "test passphrase 1"
	a := openApp(t, cfg, &fakeRuntime{})
	if m, err := a.AutoLock(); err != nil || m != 0 {
		t.Fatalf("default auto-lock: %d %v", m, err)
	}
	if _, err := a.SaveAutoLock(7); !errors.Is(err, desk.ErrUnknownAutoLock) {
		t.Fatalf("7 minutes: %v", err)
	}
	if _, err := a.SaveAutoLock(15); err != nil {
		t.Fatal(err)
	}
	a.shutdown(context.Background())
	b := openApp(t, cfg, &fakeRuntime{})
	if m, err := b.AutoLock(); err != nil || m != 15 {
		t.Fatalf("auto-lock after a restart: %d %v", m, err)
	}
}
