package msg

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestParse(t *testing.T) {
	for _, test := range []struct {
		tag  string
		want Lang
		ok   bool
	}{
		{"ja", Japanese, true},
		{"ja-JP", Japanese, true},
		{"JA_jp", Japanese, true},
		{"en", English, true},
		{"en-GB", English, true},
		{"fr", English, false},
		{"jav", English, false}, // Javanese, not Japanese
		{"", English, false},
	} {
		got, ok := Parse(test.tag)
		if got != test.want || ok != test.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", test.tag, got, ok, test.want, test.ok)
		}
	}
}

func TestText(t *testing.T) {
	for _, test := range []struct {
		l    Lang
		k    Key
		want string
	}{
		{English, Open, "Open"},
		{Japanese, Open, "開く"},
		{Japanese, Hint, "0〜9の数字を1つ書いてください"},
		{English, Hint, "Write one digit, 0-9"},
		{Japanese, "no-such-key", "no-such-key"},
	} {
		if got := test.l.Text(test.k); got != test.want {
			t.Errorf("%s.Text(%q) = %q, want %q", test.l.Tag(), test.k, got, test.want)
		}
	}
}

// TestComplete checks every row: a unique key, English, Japanese with
// Japanese in it (a row copied untranslated would pass as English), and
// the same fmt verbs in both, so that Sprintf fills both alike.
func TestComplete(t *testing.T) {
	seen := map[Key]bool{}
	for _, m := range table {
		if seen[m.Key] {
			t.Errorf("key %q appears twice", m.Key)
		}
		seen[m.Key] = true
		if m.En == "" {
			t.Errorf("%q has no English", m.Key)
		}
		if m.Ja == "" {
			t.Errorf("%q has no Japanese yet", m.Key)
			continue
		}
		if m.Key != ProgressMB && m.Key != ProgressOf && !strings.ContainsFunc(m.Ja, isJapanese) {
			t.Errorf("%q: Japanese %q has no kana or kanji", m.Key, m.Ja)
		}
		if ve, vj := verbs(m.En), verbs(m.Ja); ve != vj {
			t.Errorf("%q: English has verbs %q, Japanese %q", m.Key, ve, vj)
		}
	}
}

func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// verbs returns the fmt verbs of s in order, %% included.
func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("0123456789.", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			b.WriteString(s[i : j+1])
		}
		i = j
	}
	return b.String()
}

// TestFormat checks that the messages with verbs format cleanly.
func TestFormat(t *testing.T) {
	for _, l := range Langs {
		for _, test := range []struct {
			k    Key
			args []any
		}{
			{NotSure, []any{"62%"}},
			{ModelLine, []any{"3f2a9c1b7d0e", 99.21}},
			{Sure, []any{7, 98}},
			{Maybe, []any{4, 51}},
			{CouldNotStart, []any{"out of memory"}},
		} {
			s := fmt.Sprintf(l.Text(test.k), test.args...)
			if strings.Contains(s, "%!") {
				t.Errorf("%s %q: Sprintf gave %q", l.Tag(), test.k, s)
			}
		}
	}
}
