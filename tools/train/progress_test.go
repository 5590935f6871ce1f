package main

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The rate counts only the samples this run has done: after -resume an
// epoch starts part-way, and those done before are not a second's work.
func TestProgressRate(t *testing.T) {
	for _, tt := range []struct {
		name         string
		total, first int
		want         float64 // samples/s
	}{
		{"from the start", 50000, 0, 50000},
		{"resumed half-way", 50000, 25000, 25000},
	} {
		var out bytes.Buffer
		p := newProgress(&out, "epoch", tt.total, tt.first)
		p.start = time.Now().Add(-time.Second) // as if begun a second ago
		p.update(tt.total, 0.1)
		fields := strings.Fields(out.String()) // "epoch 50000/50000 49998 samples/s ..."
		i := slices.Index(fields, "samples/s")
		if i < 1 {
			t.Fatalf("%s: progress %q has no rate", tt.name, out.String())
		}
		rate, err := strconv.ParseFloat(fields[i-1], 64)
		// Within 5%: the second is a little longer by now.
		if err != nil || rate > tt.want || rate < 0.95*tt.want {
			t.Errorf("%s: progress %q, want about %v samples/s", tt.name, out.String(), tt.want)
		}
	}
}

func TestLossTitle(t *testing.T) {
	for _, tt := range []struct {
		augmented bool
		want      string
	}{
		{true, "Loss (training images are augmented)"},
		{false, "Loss"},
	} {
		if got := lossTitle(tt.augmented); got != tt.want {
			t.Errorf("lossTitle(%v) = %q, want %q", tt.augmented, got, tt.want)
		}
	}
}
