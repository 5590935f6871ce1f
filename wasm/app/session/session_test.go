package session

import (
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// seven is the prediction the fake network always gives: a sure 7.
var seven = pretrained.NewPrediction([]float32{0, 0, 0, 0.02, 0, 0, 0, 0.97, 0.01, 0})

// network is a fake Predictor that counts its predictions.
type network struct{ calls int }

func (n *network) Predict(*digit.Input) pretrained.Prediction { n.calls++; return seven }

// page is a fake Publisher that records what it is told, one line each.
type page struct{ log []string }

func (p *page) Result(r sketch.Result, ms float64) {
	p.log = append(p.log, fmt.Sprintf("result %d", r.Digit))
}
func (p *page) Notice(msg string) { p.log = append(p.log, "notice "+msg) }
func (p *page) Busy(busy bool)    { p.log = append(p.log, fmt.Sprint("busy ", busy)) }
func (p *page) Error(err error)   { p.log = append(p.log, "error "+err.Error()) }

// take returns the lines logged since the last take.
func (p *page) take() []string {
	l := p.log
	p.log = nil
	return l
}

func newSession() (*Session, *network, *page, *Inbox) {
	n, p, in := new(network), new(page), new(Inbox)
	return New(n, p, in), n, p, in
}

// stroke is a 7 in canvas units (0 to 1) of 13 points, drawn one a tick:
// long enough for live predictions, which come PredictEvery (6) ticks
// apart.
var stroke = func() []digit.Point {
	var pts []digit.Point
	for i := range 7 {
		pts = append(pts, digit.Point{X: 0.2 + 0.1*float64(i), Y: 0.2}) // the bar
	}
	for i := 1; i <= 6; i++ {
		pts = append(pts, digit.Point{X: 0.8 - 0.05*float64(i), Y: 0.2 + 0.1*float64(i)}) // the stem
	}
	return pts
}()

// draw draws stroke with the mouse, one point a tick, and releases it on
// the tick after.
func draw(s *Session) {
	for i, pt := range stroke {
		s.Update(func() {
			if i == 0 {
				s.Press(sketch.Mouse, pt)
			}
			s.Move(sketch.Mouse, pt)
		})
	}
	s.Update(func() { s.Release(sketch.Mouse) })
}

func idle(s *Session) { s.Update(func() {}) }

// TestDrawing follows a drawing from the first tick to its final result:
// a blank result at once, live predictions while the stroke moves, one
// more when it ends, and aria-busy until then.
func TestDrawing(t *testing.T) {
	s, n, p, _ := newSession()
	idle(s)
	if got := p.take(); !slices.Equal(got, []string{"result -1", "busy false"}) {
		t.Errorf("first tick published %q, want a blank result and not busy", got)
	}
	draw(s)
	got := p.take()
	if got[0] != "busy true" || got[len(got)-1] != "busy false" {
		t.Errorf("drawing published %q, want busy from the first point to the result", got)
	}
	// The blank drawing was predicted at tick 1; the stroke moves from tick
	// 2 to 14, predicted live at ticks 7 and 13, and ends at tick 15.
	if n.calls != 3 {
		t.Errorf("%d predictions for a %d-tick stroke, want 3: two live, one at the end", n.calls, len(stroke))
	}
	if r := s.Result(); r.Digit != 7 || !r.Sure || s.Input() == nil {
		t.Errorf("result %+v (input %v), want a sure 7 and its input", r, s.Input() != nil)
	}
	idle(s)
	if got := p.take(); len(got) != 0 || n.calls != 3 {
		t.Errorf("an idle tick published %q and predicted again (%d), want nothing", got, n.calls)
	}
	s.Update(s.Undo)
	if got := p.take(); !slices.Equal(got, []string{"result -1"}) || s.Result().Digit != -1 {
		t.Errorf("undo of the only stroke published %q, want a blank result", got)
	}
}

// TestOpenPicture follows a picture opened from the page: busy while it
// is decoded, its result shown in place of the drawing, and a stroke or
// Clear that ends it.
func TestOpenPicture(t *testing.T) {
	pic := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	var in digit.Input
	for _, tt := range []struct {
		name  string
		end   func(s *Session)
		after []string // published by end
	}{
		{"clear", func(s *Session) { s.Update(s.Clear) }, []string{"result -1"}},
		{"undo", func(s *Session) { s.Update(s.Undo) }, []string{"result -1"}},
		{"command", nil, []string{"result -1"}},
		// A stroke on the picture starts a fresh drawing, predicted as usual.
		{"stroke", draw, []string{"busy true", "result 7", "result 7", "result 7", "busy false"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _, p, inbox := newSession()
			idle(s)
			p.take()
			inbox.Post(Command{Kind: CmdOpening})
			idle(s)
			if got := p.take(); !slices.Equal(got, []string{"busy true"}) {
				t.Errorf("opening published %q, want busy", got)
			}
			inbox.Post(Command{Kind: CmdOpen, Picture: pic, Result: sketch.NewResult(seven), Input: &in, MS: 1.5})
			idle(s)
			if got := p.take(); !slices.Equal(got, []string{"result 7", "busy false"}) {
				t.Errorf("open published %q, want its result, then not busy", got)
			}
			if s.Picture() != pic || s.Input() != &in || s.Result().Digit != 7 {
				t.Errorf("after open: picture %v, input %v, digit %d; want the picture's", s.Picture() != nil, s.Input() != nil, s.Result().Digit)
			}
			if tt.end == nil {
				inbox.Post(Command{Kind: CmdClear})
				idle(s)
			} else {
				tt.end(s)
			}
			if got := p.take(); !slices.Equal(got, tt.after) {
				t.Errorf("%s published %q, want %q", tt.name, got, tt.after)
			}
			if s.Picture() != nil {
				t.Errorf("%s left the picture", tt.name)
			}
		})
	}
}

// A picture without a digit shows a notice until it is cleared.
func TestOpenNoDigit(t *testing.T) {
	s, n, p, inbox := newSession()
	idle(s)
	p.take()
	inbox.Post(Command{Kind: CmdOpen, Result: sketch.Blank(), Notice: msg.NoDigitFound, Message: "No digit found in the picture."})
	idle(s)
	if got := p.take(); !slices.Equal(got, []string{"notice No digit found in the picture."}) || s.Notice() != msg.NoDigitFound {
		t.Errorf("published %q with notice %q, want the message and the notice", got, s.Notice())
	}
	s.Update(s.Undo)
	if got := p.take(); !slices.Equal(got, []string{"result -1"}) || s.Notice() != "" {
		t.Errorf("undo published %q, notice %q; want a blank result and no notice", got, s.Notice())
	}
	if n.calls != 0 {
		t.Errorf("%d predictions, want none: the picture came classified", n.calls)
	}
}

// Commands posted from other goroutines all arrive, in order.
func TestInbox(t *testing.T) {
	var in Inbox
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 {
				in.Post(Command{Notice: msg.Key(fmt.Sprint(g, " ", i))})
			}
		})
	}
	wg.Wait()
	got := in.take(nil)
	if len(got) != 400 {
		t.Fatalf("took %d commands, want 400", len(got))
	}
	last := map[string]int{}
	for _, c := range got {
		g, i, _ := strings.Cut(string(c.Notice), " ")
		var n int
		fmt.Sscan(i, &n)
		if prev, ok := last[g]; ok && n != prev+1 {
			t.Fatalf("goroutine %s: command %d after %d", g, n, prev)
		}
		last[g] = n
	}
	if again := in.take(nil); len(again) != 0 {
		t.Errorf("%d commands left after take", len(again))
	}
}
