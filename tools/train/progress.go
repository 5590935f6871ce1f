package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress reports the advance of one epoch. On a terminal it redraws one
// line with a bar, samples per second, loss and time left; otherwise (a log
// file, CI) it prints a plain line every few seconds so logs stay readable.
type progress struct {
	w        io.Writer
	terminal bool
	label    string
	total    int
	first    int // samples already done when the bar started (after -resume)
	start    time.Time
	last     time.Time
	every    time.Duration
	loss     float64 // exponential moving average of the batch loss
	seen     int
}

// newProgress returns the progress of an epoch of total samples of which
// first are already done.
func newProgress(w io.Writer, label string, total, first int) *progress {
	now := time.Now()
	return &progress{w: w, terminal: isTerminal(w), label: label, total: total, first: first, start: now, last: now, every: 10 * time.Second}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update records that done samples of total are finished, the last batch
// having had the given loss.
func (p *progress) update(done int, loss float64) {
	if p.seen == 0 {
		p.loss = loss
	} else {
		p.loss = 0.95*p.loss + 0.05*loss
	}
	p.seen++
	now := time.Now()
	interval := p.every
	if p.terminal {
		interval = 100 * time.Millisecond
	}
	if now.Sub(p.last) < interval && done < p.total {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	rate := float64(done-p.first) / max(elapsed, 1e-9)
	eta := time.Duration(float64(p.total-done)/max(rate, 1e-9)) * time.Second
	stats := fmt.Sprintf("%6d/%d  %6.0f samples/s  loss %.4f  ETA %s", done, p.total, rate, p.loss, eta.Round(time.Second))
	if !p.terminal {
		fmt.Fprintf(p.w, "%s %s\n", p.label, stats)
		return
	}
	const width = 30
	filled := width * done / max(p.total, 1)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(p.w, "\r%s [%s] %s\x1b[K", p.label, bar, stats)
}

// finish ends the progress line on a terminal.
func (p *progress) finish() {
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}
