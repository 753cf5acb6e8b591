package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"bankdesk/backend/desk"
	"bankdesk/backend/rules"
)

const rulesUsage = `usage: bankdesk rules export | import FILE [--append] | list | preview FILE [--json]

export prints your rules as JSON (the file import reads); import replaces them
with the file's, or adds the file's after them (--append), and they apply at
once to every stored transaction and to every one a sync brings; list shows
them one a line; preview says what importing FILE with --append or not would
change, saving nothing. README documents the rule object.`

func rulesCommand(fs *flag.FlagSet) runner {
	appendRules := fs.Bool("append", false, "import: add the file's rules after yours instead of replacing them")
	asJSON := fs.Bool("json", false, "preview: print the changes as JSON")
	var action, file string
	return runner{
		check: func(_ IO, args []string) error {
			action = args[0]
			switch {
			case (action == "import" || action == "preview") && len(args) == 2:
				file = args[1]
			case (action == "export" || action == "list") && len(args) == 1:
			default:
				return usageError{"want export, import FILE, list or preview FILE"}
			}
			if *appendRules && action != "import" && action != "preview" {
				return usageError{"--append goes with import or preview"}
			}
			return nil
		},
		run: func(_ context.Context, d *desk.Desk, io IO) error {
			switch action {
			case "export":
				rs, err := d.StoredRules()
				if err != nil {
					return err
				}
				out, err := rules.Write(rs)
				if err != nil {
					return err
				}
				_, err = io.Stdout.Write(out)
				return err
			case "list":
				rs, err := d.StoredRules()
				if err != nil {
					return err
				}
				if len(rs) == 0 {
					fmt.Fprintln(io.Stdout, "no rules (see `bankdesk rules import`)")
				}
				for i, r := range rs {
					fmt.Fprintln(io.Stdout, describeRule(i, r))
				}
				return nil
			}
			rs, err := readRulesFile(d, file, *appendRules)
			if err != nil {
				return err
			}
			preview, err := d.PreviewRules(rs)
			if err != nil {
				return sayable(err)
			}
			if action == "preview" {
				if *asJSON {
					return printJSON(io.Stdout, preview)
				}
				for _, c := range preview.Changes {
					var parts []string
					for _, f := range c.Fields {
						parts = append(parts, fmt.Sprintf("%s %q → %q", f.Field, clean(f.Before), clean(f.After)))
					}
					fmt.Fprintf(io.Stdout, "%s  %s %s  %s: %s\n", c.Row.BookingDate, c.Row.Amount, clean(c.Row.Currency), clip(c.Row.Description, 40), strings.Join(parts, "; "))
				}
				fmt.Fprintf(io.Stdout, "%d transactions would change\n", preview.Count)
				return nil
			}
			saved, err := d.SetStoredRules(rs)
			if err != nil {
				return sayable(err)
			}
			fmt.Fprintf(io.Stdout, "%d rules saved; %d transactions changed\n", len(saved), preview.Count)
			return nil
		},
	}
}

// readRulesFile is the rules file's rules, after the stored ones when
// appending.
func readRulesFile(d *desk.Desk, file string, appendRules bool) ([]rules.Rule, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read the rules file: %w", err)
	}
	rs, err := rules.Read(data)
	if err != nil {
		return nil, usageError{fmt.Sprintf("%s: %v", clean(file), err)}
	}
	if !appendRules {
		return rs, nil
	}
	have, err := d.StoredRules()
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, r := range have {
		ids[r.ID] = true
	}
	for i := range rs {
		if ids[rs[i].ID] {
			rs[i].ID = "" // a copy of one of yours is another rule
		}
	}
	return append(have, rs...), nil
}

// describeRule is list's line for rule i.
func describeRule(i int, r rules.Rule) string {
	name := r.Name
	if name == "" {
		name = "(no name)"
	}
	state := ""
	if !r.On() {
		state = " [off]"
	}
	var match, set []string
	m := r.Match
	for _, p := range [][2]string{
		{"description contains", m.DescriptionContains}, {"description is", m.DescriptionEquals}, {"description matches", m.DescriptionRegexp},
		{"merchant contains", m.MerchantContains}, {"merchant is", m.MerchantEquals}, {"merchant matches", m.MerchantRegexp},
		{"money", m.Sign}, {"account", m.Account}, {"type", m.Type},
	} {
		if p[1] != "" {
			match = append(match, fmt.Sprintf("%s %q", p[0], clean(p[1])))
		}
	}
	if m.AmountMin != nil {
		match = append(match, "amount ≥ "+m.AmountMin.String())
	}
	if m.AmountMax != nil {
		match = append(match, "amount ≤ "+m.AmountMax.String())
	}
	if len(m.DayOfMonth) > 0 {
		match = append(match, fmt.Sprintf("day %v", m.DayOfMonth))
	}
	s := r.Set
	if s.Category != "" {
		set = append(set, fmt.Sprintf("category %q", clean(s.Category)))
	}
	if len(s.Tags) > 0 {
		set = append(set, fmt.Sprintf("tags %q", clean(strings.Join(s.Tags, ", "))))
	}
	if s.Payee != "" {
		set = append(set, fmt.Sprintf("payee %q", clean(s.Payee)))
	}
	if s.Hidden != nil {
		set = append(set, fmt.Sprintf("hidden %v", *s.Hidden))
	}
	return fmt.Sprintf("%d. %s%s (%s): when %s, set %s", i+1, clean(name), state, r.ID, strings.Join(match, ", "), strings.Join(set, ", "))
}
