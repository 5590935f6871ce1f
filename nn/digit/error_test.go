package digit

import (
	"errors"
	"image"
	"testing"
)

// Every error says what was wrong in a Reason for people, and has the
// code that every front end reports.
func TestErrorCodes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		err    error
		code   string
		reason string
	}{
		{"blank", func() error { _, err := FromImage(image.NewGray(image.Rect(0, 0, 9, 9))); return err }(), CodeNoDigit, "no digit found: too little contrast"},
		{"no strokes", func() error { _, err := FromStrokes(nil, 3); return err }(), CodeNoDigit, "no digit found: no strokes"},
		{"huge", CheckSize(9000, 1), CodeTooLarge, "image too large: 9000×1 pixels, over 8192 on a side or 41943040 in all"},
		{"bad width", func() error { _, err := FromStrokes([]Stroke{{{X: 1, Y: 1}}}, -1); return err }(), CodeBadInput, "pen width -1: want a positive number"},
		{"not this package's", errors.New("disk on fire"), CodeBadInput, ""},
	} {
		if got := Code(tt.err); got != tt.code {
			t.Errorf("%s: Code(%v) = %q, want %q", tt.name, tt.err, got, tt.code)
		}
		var e *Error
		if tt.reason == "" {
			if errors.As(tt.err, &e) {
				t.Errorf("%s: %v is a *digit.Error", tt.name, tt.err)
			}
			continue
		}
		if !errors.As(tt.err, &e) || e.Reason != tt.reason || e.Error() != "digit: "+tt.reason {
			t.Errorf("%s: error %v, want a *digit.Error with reason %q", tt.name, tt.err, tt.reason)
		}
	}
}
