package sandbox

import (
	"encoding/json"
	"testing"
)

func TestAppendMinor(t *testing.T) {
	for m, want := range map[int64]string{0: "0", -299: "-2.99", 125000: "1250", 77: "0.77", 1050: "10.5", -5: "-0.05", -100: "-1", 100001: "1000.01"} {
		if got := string(appendMinor(nil, m)); got != want {
			t.Errorf("appendMinor(%d) = %s, want %s", m, got, want)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "CAFÉ CRÈME, LONDON", "DELIVEROO 🍕", "tab\there\nnew\x01line", "sep\u2028\u2029", "=SUM(A1)"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil || got != s {
			t.Errorf("%q round-trips to %q (%v)", s, got, err)
		}
	}
	var got string
	mustUnmarshal(t, appendJSONString(nil, "bad\xffbyte"), &got)
	if got != "bad\ufffdbyte" {
		t.Errorf("invalid UTF-8 = %q", got)
	}
}
