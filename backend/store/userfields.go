package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// The person's layer (bucket user_fields, since schema 6): what they add
// to a transaction, kept apart from what the bank sent. A sync writes
// transactions (PutTransactions, PutWindow, ReplacePending) and never
// these; the reads (Transactions, Pending, NewestTransactions,
// Transaction) attach them to each transaction as Transaction.User, and
// SetUserFields is their one writer.
//
// They are keyed by the transaction's dedupe key (DedupeKey: the
// normalised id, else the provider id, else the content hash), the
// identity a re-sync, a corrected booking date, a changed
// provider_transaction_id under an unchanged normalised id, and any
// enrichment keep. Where the identity itself changes, the store carries
// them along:
//
//   - a pending row that books under other ids: when it leaves the
//     pending set, its fields move to the booked row that replaced it
//     (settle, from ReplacePending);
//   - an account the bank renumbers (RenameAccount, a reconnect): its
//     fields move with its history, content-hash keys computed again;
//   - a booking the bank removed is kept (TxRemoved), and so are its
//     fields.
//
// Deleting an account's data deletes its fields, and the transfer links
// of other accounts' transactions that pointed into it.
//
// One sealed record per account holds all of its fields (JSON, a list of
// userEntry), as the pending sets do: one read attaches them to a whole
// listing, and a change is one atomic write. People annotate hundreds of
// transactions, not every one; a layer written for every transaction
// (rules' results, if they are ever stored) would want a record per
// transaction instead.

// UserFields are what the person adds to one transaction. The zero value
// is none.
type UserFields struct {
	// Category is the person's own category name; empty leaves the bank's
	// (ledger.CategoryName) in place.
	Category string `json:"category,omitempty"`
	Note     string `json:"note,omitempty"`
	// Tags are a set: sorted, without repeats (case-insensitively).
	Tags []string `json:"tags,omitempty"`
	// Payee is the name to show for the other party, in place of the
	// bank's merchant or description.
	Payee string `json:"payee,omitempty"`
	// Hidden leaves the transaction out of the list (still counted, still
	// exported).
	Hidden bool `json:"hidden,omitempty"`
	// TransferWith links the transaction to its other half, a transaction
	// of another (or the same) account: the link is a pair, set and
	// cleared on both at once.
	TransferWith *TxRef `json:"transfer_with,omitempty"`
	// NotTransfer is the person saying this is no transfer, whatever the
	// bank's TRANSFER category (a payment to someone else): it counts as
	// income or spending. A link (TransferWith) wins over it.
	NotTransfer bool `json:"not_transfer,omitempty"`
}

// TxRef names a stored transaction: its account and dedupe key.
type TxRef struct {
	AccountID string `json:"account_id"`
	Key       string `json:"key"`
}

// IsZero says there are no fields.
func (f UserFields) IsZero() bool {
	return f.Category == "" && f.Note == "" && len(f.Tags) == 0 && f.Payee == "" && !f.Hidden && f.TransferWith == nil && !f.NotTransfer
}

// clone copies f so that no two holders share its slice or link.
func (f UserFields) clone() UserFields {
	f.Tags = slices.Clone(f.Tags)
	if f.TransferWith != nil {
		ref := *f.TransferWith
		f.TransferWith = &ref
	}
	return f
}

// Limits of the person's fields, in characters.
const (
	MaxUserNameLen = 100 // a category, a payee name, a tag
	MaxNoteLen     = 2000
	MaxTags        = 20
)

// UserFieldError is a field the store refuses: it says which and why, in
// a sentence for the person (Say), and matches ErrInvalid.
type UserFieldError struct {
	Field  string // "note", "tag \"x\""...
	Reason string // "is longer than 2000 characters"
}

func (e *UserFieldError) Error() string { return "store: the " + e.Field + " " + e.Reason }

// Unwrap makes the error match ErrInvalid.
func (e *UserFieldError) Unwrap() error { return ErrInvalid }

// Say is the error as the screens and the command line show it.
func (e *UserFieldError) Say() string {
	s := "The " + e.Field + " " + e.Reason
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// normaliseFields checks f and puts it in its stored form: names and the
// note trimmed, line breaks as LF, tags trimmed, without empty ones and
// repeats, sorted.
func normaliseFields(f UserFields) (UserFields, error) {
	var err error
	if f.Category, err = cleanName("category", f.Category); err != nil {
		return f, err
	}
	if f.Payee, err = cleanName("payee name", f.Payee); err != nil {
		return f, err
	}
	if f.Note, err = cleanNote(f.Note); err != nil {
		return f, err
	}
	var tags []string
	seen := map[string]bool{}
	for _, tag := range f.Tags {
		if tag, err = cleanName("tag", tag); err != nil {
			return f, err
		}
		if tag == "" || seen[strings.ToLower(tag)] {
			continue
		}
		if strings.ContainsRune(tag, ',') {
			return f, &UserFieldError{fmt.Sprintf("tag %q", tag), "has a comma (a comma separates tags)"}
		}
		seen[strings.ToLower(tag)] = true
		tags = append(tags, tag)
	}
	if len(tags) > MaxTags {
		return f, &UserFieldError{"list of tags", fmt.Sprintf("has %d tags; at most %d are kept", len(tags), MaxTags)}
	}
	slices.SortFunc(tags, func(a, b string) int {
		return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
	})
	f.Tags = tags
	if r := f.TransferWith; r != nil && (r.AccountID == "" || r.Key == "") {
		return f, &UserFieldError{"transfer link", "names no transaction"}
	}
	return f, nil
}

// cleanName is a one-line name, trimmed.
func cleanName(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", &UserFieldError{field, "is not valid text (UTF-8)"}
	}
	s = strings.TrimSpace(s)
	if strings.ContainsFunc(s, unicode.IsControl) {
		return "", &UserFieldError{field, "has a line break or another control character"}
	}
	if n := utf8.RuneCountInString(s); n > MaxUserNameLen {
		return "", &UserFieldError{field, fmt.Sprintf("is %d characters long; at most %d fit", n, MaxUserNameLen)}
	}
	return s, nil
}

// cleanNote is a note: line breaks (as LF) and tabs are kept, other
// control characters refused, the ends trimmed.
func cleanNote(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", &UserFieldError{"note", "is not valid text (UTF-8)"}
	}
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		return "", &UserFieldError{"note", "has a control character"}
	}
	if n := utf8.RuneCountInString(s); n > MaxNoteLen {
		return "", &UserFieldError{"note", fmt.Sprintf("is %d characters long; at most %d fit", n, MaxNoteLen)}
	}
	return s, nil
}

// userEntry is one transaction's fields as stored. Pending is set while
// the fields belong to a pending row: what of it its booking shares
// (shapeOf), by which they find the booked row that replaces it (settle),
// since that row often has other ids. The JSON names are the file format.
type userEntry struct {
	Key     string       `json:"key"`
	Fields  UserFields   `json:"fields"`
	Pending *Transaction `json:"pending,omitempty"`
}

// shapeOf is what of a pending row its booking shares: its time (so its
// day), amount, currency, direction and texts.
func shapeOf(t *Transaction) *Transaction {
	return &Transaction{BookedAt: t.BookedAt, Amount: t.Amount, Currency: t.Currency, Type: t.Type, Description: t.Description, Merchant: t.Merchant}
}

// sameShape compares two shapes (shapeOf).
func sameShape(p, q *Transaction) bool {
	return p.BookedAt.Equal(q.BookedAt) && p.Amount.Equal(q.Amount) && p.Currency == q.Currency && p.Type == q.Type &&
		p.Description == q.Description && p.Merchant == q.Merchant
}

// userSet is one account's entries, by dedupe key.
type userSet map[string]*userEntry

// readUserSet reads the account's entries from b (none when it has none).
// An unreadable set is an error matching ErrUnreadable.
func (s *Store) readUserSet(b *bbolt.Bucket, accountID string) (userSet, error) {
	var entries []userEntry
	if _, err := s.getJSONIn(b, bucketUserFields, []byte(accountID), &entries); err != nil {
		return nil, err
	}
	return userSetOf(entries), nil
}

func userSetOf(entries []userEntry) userSet {
	set := make(userSet, len(entries))
	for i := range entries {
		set[entries[i].Key] = &entries[i]
	}
	return set
}

// writeUserSet stores the account's entries, in key order; none deletes
// the record.
func (s *Store) writeUserSet(b *bbolt.Bucket, accountID string, set userSet) error {
	if len(set) == 0 {
		return s.del(b, bucketUserFields, []byte(accountID))
	}
	entries := make([]userEntry, 0, len(set))
	for _, e := range set {
		entries = append(entries, *e)
	}
	slices.SortFunc(entries, func(a, b userEntry) int { return strings.Compare(a.Key, b.Key) })
	return s.putJSON(b, bucketUserFields, []byte(accountID), entries)
}

// userSetFor reads the account's entries for a listing: none (and no
// error) when there are none, when the bucket is gone, or when the set
// cannot be read (noted in Damaged: a repair brings back the snapshot's).
func (s *Store) userSetFor(accountID string) (userSet, error) {
	var set userSet
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketUserFields)
		if b == nil {
			return nil // reported by Open (recreateBuckets) or Check
		}
		var err error
		set, err = s.readUserSet(b, accountID)
		return err
	})
	if errors.Is(err, ErrUnreadable) {
		s.noteRecord(bucketUserFields, []byte(accountID), err)
		return nil, nil
	}
	return set, err
}

// attach gives t its fields from set.
func (set userSet) attach(t *Transaction) {
	if e, ok := set[t.Key]; ok {
		f := e.Fields.clone()
		t.User = &f
	}
}

// withUser is fn with each transaction's fields attached, and what the
// rules set on it (ApplyRules).
func (s *Store) withUser(accountID string, fn func(Transaction) error) (func(Transaction) error, error) {
	set, err := s.userSetFor(accountID)
	if err != nil {
		return fn, err
	}
	rs := s.compiledRules()
	if len(set) == 0 && rs.Len() == 0 {
		return fn, nil
	}
	return func(t Transaction) error {
		set.attach(&t)
		ApplyRules(rs, &t)
		return fn(t)
	}, nil
}

// attachAll gives each of txs its fields and what the rules set on it.
func (s *Store) attachAll(accountID string, txs []Transaction) error {
	set, err := s.userSetFor(accountID)
	if err != nil {
		return err
	}
	rs := s.compiledRules()
	for i := range txs {
		set.attach(&txs[i])
		ApplyRules(rs, &txs[i])
	}
	return nil
}

// UserFields returns the person's fields of the account's transaction
// under key: zero when it has none (or is not stored).
func (s *Store) UserFields(accountID, key string) (UserFields, error) {
	set, err := s.userSetFor(accountID)
	if err != nil {
		return UserFields{}, err
	}
	if e, ok := set[key]; ok {
		return e.Fields.clone(), nil
	}
	return UserFields{}, nil
}

// UserFieldsOf returns the person's fields of every transaction of the
// account that has some, by dedupe key.
func (s *Store) UserFieldsOf(accountID string) (map[string]UserFields, error) {
	set, err := s.userSetFor(accountID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]UserFields, len(set))
	for k, e := range set {
		out[k] = e.Fields.clone()
	}
	return out, nil
}

// SetUserFields replaces the person's fields of the account's transaction
// under key, a booked one (removed ones too) or a pending one; zero
// fields remove them. They are checked and normalised first (a
// *UserFieldError, matching ErrInvalid, says what is wrong). A transfer
// link is a pair: linking a to b links b to a, and unlinks whatever
// either was linked to before; clearing it clears both halves.
//
// ErrNotFound when the account, or the transaction or the one linked to,
// is not stored; an error matching ErrUnreadable when the stored fields
// of an account it would change cannot be read (`bankdesk repair` brings
// back a snapshot's): they are never overwritten unread.
func (s *Store) SetUserFields(accountID, key string, f UserFields) error {
	if err := validID("account id", accountID); err != nil {
		return err
	}
	f, err := normaliseFields(f)
	if err != nil {
		return err
	}
	self := TxRef{accountID, key}
	if f.TransferWith != nil && *f.TransferWith == self {
		return &UserFieldError{"transfer link", "points at the transaction itself"}
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.update(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketUserFields)
		if err != nil {
			return err
		}
		u := &userEdit{s: s, tx: tx, b: b, sets: map[string]userSet{}}
		old, err := u.entry(self)
		if err != nil {
			return err
		}
		if err := u.put(self, f); err != nil {
			return err
		}
		var was *TxRef
		if old != nil {
			was = old.Fields.TransferWith
		}
		if !sameRef(was, f.TransferWith) {
			if was != nil {
				if err := u.unlink(*was, self); err != nil {
					return err
				}
			}
			if to := f.TransferWith; to != nil {
				if err := u.linkBack(*to, self); err != nil {
					return err
				}
			}
		}
		return u.flush()
	})
}

func sameRef(a, b *TxRef) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// userEdit is one SetUserFields inside its write transaction: the sets it
// read, and which it changed.
type userEdit struct {
	s     *Store
	tx    *bbolt.Tx
	b     *bbolt.Bucket
	sets  map[string]userSet
	dirty []string
}

func (u *userEdit) set(accountID string) (userSet, error) {
	if set, ok := u.sets[accountID]; ok {
		return set, nil
	}
	set, err := u.s.readUserSet(u.b, accountID)
	if err != nil {
		return nil, fmt.Errorf("the fields you added to %s's transactions: %w", accountID, err)
	}
	u.sets[accountID] = set
	return set, nil
}

// entry is ref's stored entry (nil when none).
func (u *userEdit) entry(ref TxRef) (*userEntry, error) {
	set, err := u.set(ref.AccountID)
	if err != nil {
		return nil, err
	}
	return set[ref.Key], nil
}

// put replaces ref's fields, after checking that ref is stored.
func (u *userEdit) put(ref TxRef, f UserFields) error {
	pending, err := u.s.locate(u.tx, ref)
	if err != nil {
		return err
	}
	set, err := u.set(ref.AccountID)
	if err != nil {
		return err
	}
	if f.IsZero() {
		delete(set, ref.Key)
	} else {
		set[ref.Key] = &userEntry{Key: ref.Key, Fields: f, Pending: pending}
	}
	u.dirty = append(u.dirty, ref.AccountID)
	return nil
}

// unlink clears ref's link when it points at from.
func (u *userEdit) unlink(ref, from TxRef) error {
	e, err := u.entry(ref)
	if err != nil || e == nil || e.Fields.TransferWith == nil || *e.Fields.TransferWith != from {
		return err
	}
	f := e.Fields
	f.TransferWith = nil
	return u.put(ref, f)
}

// linkBack links ref to from, unlinking whatever ref was linked to.
func (u *userEdit) linkBack(ref, from TxRef) error {
	e, err := u.entry(ref)
	if err != nil {
		return err
	}
	var f UserFields
	if e != nil {
		f = e.Fields
		if was := f.TransferWith; was != nil && *was != from {
			if err := u.unlink(*was, ref); err != nil {
				return err
			}
		}
	}
	f.TransferWith = &from
	if err := u.put(ref, f); err != nil {
		return fmt.Errorf("transfer link: %w", err)
	}
	return nil
}

func (u *userEdit) flush() error {
	slices.Sort(u.dirty)
	for _, id := range slices.Compact(u.dirty) {
		if err := u.s.writeUserSet(u.b, id, u.sets[id]); err != nil {
			return err
		}
	}
	return nil
}

// locate finds the transaction ref names: booked (removed ones included;
// pending is nil), else pending (its shape). ErrNotFound when it is
// neither. Caller holds s.index.mu.
func (s *Store) locate(tx *bbolt.Tx, ref TxRef) (*Transaction, error) {
	if err := s.accountExists(tx, ref.AccountID); err != nil {
		return nil, err
	}
	live, err := s.index.load(s, tx, ref.AccountID)
	if err != nil {
		return nil, err
	}
	if _, ok := live.at[ref.Key]; ok {
		return nil, nil
	}
	b, err := bucket(tx, bucketPending)
	if err != nil {
		return nil, err
	}
	var set []Transaction
	if _, err := s.getJSONIn(b, bucketPending, []byte(ref.AccountID), &set); err != nil && !errors.Is(err, ErrUnreadable) {
		return nil, err
	}
	for i := range set {
		if set[i].Key == ref.Key {
			return shapeOf(&set[i]), nil
		}
	}
	return nil, fmt.Errorf("%w: transaction %q of account %q", ErrNotFound, ref.Key, ref.AccountID)
}

// twinDays is how many days after a pending row its booking may come:
// card payments book one to three days after, some banks take a week.
const twinDays = 7

// settle runs when the account's pending set is replaced by pending: the
// fields of a pending row still in it keep up with its shape; those of a
// row that left it move to the booked row that replaced it. That is the
// row under the same key if there is one (banks that keep the id), else
// the booked row of the same direction and currency, booked on its day
// or up to twinDays after, with no fields of its own, that has the same
// amount and text (description or merchant), else the only one with the
// same amount, else the only one with the same text (a tip, a pre-auth
// settled for less). Fields that find none wait for the next sync. Links
// to a moved row are repointed. Unreadable fields are left alone (noted):
// a repair brings back the snapshot's. Caller holds s.index.mu.
func (s *Store) settle(tx *bbolt.Tx, accountID string, pending []Transaction) error {
	b := tx.Bucket(bucketUserFields)
	if b == nil {
		return nil
	}
	set, err := s.readUserSet(b, accountID)
	if errors.Is(err, ErrUnreadable) {
		s.noteRecord(bucketUserFields, []byte(accountID), err)
		return nil
	}
	if err != nil || len(set) == 0 {
		return err
	}
	now := make(map[string]*Transaction, len(pending))
	for i := range pending {
		now[pending[i].Key] = &pending[i]
	}
	changed := false
	var gone []*userEntry
	for _, e := range set {
		if e.Pending == nil {
			continue
		}
		if t, ok := now[e.Key]; ok {
			if shape := shapeOf(t); !sameShape(shape, e.Pending) {
				e.Pending, changed = shape, true
			}
			continue
		}
		gone = append(gone, e)
	}
	if len(gone) == 0 && !changed {
		return nil
	}
	// Oldest first, so each takes the earliest booking that fits.
	slices.SortFunc(gone, func(a, b *userEntry) int {
		return cmp.Or(a.Pending.BookedAt.Compare(b.Pending.BookedAt), strings.Compare(a.Key, b.Key))
	})
	var moves map[TxRef]TxRef
	if len(gone) > 0 {
		live, err := s.index.load(s, tx, accountID)
		if err != nil {
			return err
		}
		for _, e := range gone {
			if _, ok := live.at[e.Key]; ok {
				e.Pending, changed = nil, true
				continue
			}
			twin, err := s.twinOf(tx, accountID, live, e.Pending, set)
			if err != nil {
				return err
			}
			if twin == "" {
				continue
			}
			if moves == nil {
				moves = map[TxRef]TxRef{}
			}
			moves[TxRef{accountID, e.Key}] = TxRef{accountID, twin}
			delete(set, e.Key)
			e.Key, e.Pending, changed = twin, nil, true
			set[twin] = e
		}
	}
	if changed {
		if err := s.writeUserSet(b, accountID, set); err != nil {
			return err
		}
	}
	if len(moves) == 0 {
		return nil
	}
	return s.repoint(tx, func(r TxRef) (TxRef, bool) {
		if to, ok := moves[r]; ok {
			return to, true
		}
		return r, true
	})
}

// twinOf is the dedupe key of the booked row that replaced a pending row
// of that shape (see settle), or "" when none fits.
func (s *Store) twinOf(tx *bbolt.Tx, accountID string, live *acctIndex, p *Transaction, taken userSet) (string, error) {
	primary, err := bucket(tx, bucketTransactions)
	if err != nil {
		return "", err
	}
	day := p.Day()
	from := day.UTC().Add(-maxZoneOffset).UnixNano()
	to := day.AddDays(twinDays + 1).UTC().Add(maxZoneOffset).UnixNano()
	type candidate struct {
		key          string
		amount, text bool
		days         int
	}
	var cands []candidate
	for m := monthOf(from); m <= monthOf(to); m++ {
		for _, e := range live.months[m] {
			if e.at < from || e.at >= to || taken[e.dedupe] != nil {
				continue
			}
			key := s.keys.tx(accountID, e.at, e.id)
			sealed := primary.Get(key)
			if sealed == nil {
				continue
			}
			_, plain, err := s.record(bucketTransactions, key, sealed)
			if err != nil {
				continue // noted by the reads; not a twin one can tell
			}
			t, err := decodeTxOf(plain, accountID)
			if err != nil {
				continue
			}
			days := t.Day().Sub(day)
			if t.Status != TxBooked || t.Type != p.Type || t.Currency != p.Currency || days < 0 || days > twinDays {
				continue
			}
			c := candidate{key: t.Key, amount: t.Amount.Equal(p.Amount), days: days,
				text: sameText(t.Description, p.Description) || p.Merchant != "" && sameText(t.Merchant, p.Merchant)}
			if c.amount || c.text {
				cands = append(cands, c)
			}
		}
	}
	pick := func(keep func(candidate) bool, unique bool) string {
		var best *candidate
		n := 0
		for i := range cands {
			c := &cands[i]
			if !keep(*c) {
				continue
			}
			n++
			if best == nil || c.days < best.days || c.days == best.days && c.key < best.key {
				best = c
			}
		}
		if best == nil || unique && n > 1 {
			return ""
		}
		return best.key
	}
	return cmp.Or(
		pick(func(c candidate) bool { return c.amount && c.text }, false),
		pick(func(c candidate) bool { return c.amount }, true),
		pick(func(c candidate) bool { return c.text }, true),
	), nil
}

// sameText compares two bank texts ignoring case and runs of spaces.
func sameText(a, b string) bool {
	return a != "" && strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// repoint rewrites every transfer link by move: to the ref it returns, or
// dropped when it returns false. Fields left empty are removed.
func (s *Store) repoint(tx *bbolt.Tx, move func(TxRef) (TxRef, bool)) error {
	b := tx.Bucket(bucketUserFields)
	if b == nil {
		return nil
	}
	changed := map[string]userSet{}
	err := s.each(b, bucketUserFields, func(logical, payload []byte) error {
		var entries []userEntry
		if err := json.Unmarshal(payload, &entries); err != nil {
			s.noteRecord(bucketUserFields, logical, fmt.Errorf("%w: decode %s/%s: %w", ErrUnreadable, bucketUserFields, printableKey(logical), err))
			return nil
		}
		set := userSetOf(entries)
		dirty := false
		for k, e := range set {
			link := e.Fields.TransferWith
			if link == nil {
				continue
			}
			to, keep := move(*link)
			switch {
			case !keep:
				e.Fields.TransferWith, dirty = nil, true
				if e.Fields.IsZero() {
					delete(set, k)
				}
			case to != *link:
				e.Fields.TransferWith, dirty = &to, true
			}
		}
		if dirty {
			changed[string(logical)] = set
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Written after the walk: a cursor is not to be used across writes.
	for id, set := range changed {
		if err := s.writeUserSet(b, id, set); err != nil {
			return err
		}
	}
	return nil
}
