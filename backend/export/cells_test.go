package export

import "testing"

func TestStartsFormula(t *testing.T) {
	for s, want := range map[string]bool{"=1": true, "+1": true, "-1": true, "@x": true, "\tx": true, "\rx": true,
		"": false, "x=1": false, " =1": false, "'=1": false, "\nx": false, "1": false} {
		if startsFormula(s) != want {
			t.Errorf("%q: %v", s, !want)
		}
	}
}
