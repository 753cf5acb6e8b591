// Package datadir opens a Bankdesk data directory as one unit: its lock,
// its data key (package vault) and its data file (package store), and it
// owns what needs all three: first-run set-up, refusing a key without its
// data or data without its key, the passphrase change (a new data key and
// every record sealed again), and `bankdesk reset`.
//
// Order of Open, each step under the lock taken first:
//
//  1. lock the data directory (bankdesk.lock), so two processes never run
//     steps 2-5 at once: "already running" instead (store.ErrAlreadyRunning);
//  2. finish or undo a passphrase change a crash interrupted (rekey.go);
//  3. look at what is there. Data (a non-empty bankdesk.db) means the key
//     must be found, never created (vault.Options.MustExist); a key with no
//     data is refused (ErrDataMissing), unless a first run was cut short
//     (bankdesk.setup); neither is a first run, which writes bankdesk.setup;
//  4. open the vault (creating the key on a first run);
//  5. open the store, then remove bankdesk.setup.
//
// Nothing is changed when Open refuses.
package datadir
