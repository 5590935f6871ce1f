package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestStatus(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, ExitOK},
		{"-h", flag.ErrHelp, ExitOK},
		{"failure", errors.New("no such file"), ExitFailure},
		{"usage", UsageError{errors.New("bad flag")}, ExitUsage},
		{"wrapped usage", fmt.Errorf("parse: %w", UsageError{errors.New("bad flag")}), ExitUsage},
		{"interrupted", fmt.Errorf("train: %w", ErrInterrupted), ExitInterrupted},
	} {
		if got := Status(tt.err); got != tt.want {
			t.Errorf("%s: Status(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}

// newFlagSet returns a flag set with one flag that writes to out.
func newFlagSet(out *bytes.Buffer) *flag.FlagSet {
	fs := flag.NewFlagSet("tool", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "Usage: tool [flags]") }
	fs.Bool("v", false, "verbose")
	return fs
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		want      int    // Status of the error
		wantUsage bool   // the usage text was printed
		wantOut   string // printed, besides the usage
	}{
		{[]string{"-v", "file"}, ExitOK, false, ""},
		{[]string{"-h"}, ExitOK, true, ""},
		{[]string{"-x"}, ExitUsage, true, "flag provided but not defined: -x"},
	} {
		var out bytes.Buffer
		err := Parse(newFlagSet(&out), tt.args)
		if got := Status(err); got != tt.want {
			t.Errorf("Parse(%q) = %v, status %d, want %d", tt.args, err, got, tt.want)
		}
		if got := strings.Contains(out.String(), "Usage: tool"); got != tt.wantUsage {
			t.Errorf("Parse(%q) printed %q; usage printed %v, want %v", tt.args, out.String(), got, tt.wantUsage)
		}
		if !strings.Contains(out.String(), tt.wantOut) {
			t.Errorf("Parse(%q) printed %q, want it to say %q", tt.args, out.String(), tt.wantOut)
		}
	}
}

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	problem := errors.New("-o is required")
	err := Usage(newFlagSet(&out), problem)
	if !errors.Is(err, problem) || Status(err) != ExitUsage {
		t.Errorf("Usage returned %v (status %d), want %v as a usage error", err, Status(err), problem)
	}
	if want := "-o is required\nUsage: tool [flags]\n"; out.String() != want {
		t.Errorf("Usage printed %q, want %q", out.String(), want)
	}
}
