// Package session is the browser app's state, in plain Go that tests
// natively: the drawing, or a picture opened in its place; when to
// predict; the result shown and whether it is final; and the commands the
// page sends through its JS API.
//
// The ebiten and DOM glue in package main maps input to a Session's
// methods, draws what it holds, and gives it a Publisher that mirrors the
// result into the page.
package session

import (
	"errors"
	"image"
	"sync"
	"time"

	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/pretrained"
	"github.com/tegaki/tegaki/wasm/app/msg"
	"github.com/tegaki/tegaki/wasm/app/sketch"
)

// InputSide is the pixel side at which strokes are rasterised for the
// network: 280, ten times MNIST's 28, like a digit drawn in Paint.
const InputSide = 280

// A Command is something the page asks of the app, carried out by Update
// between two frames.
type Command struct {
	Kind    CommandKind
	Picture *image.NRGBA  // CmdOpen: the opened picture, or nil if it failed
	Result  sketch.Result // CmdOpen: what it holds (Blank if no digit)
	Input   *digit.Input  // CmdOpen: the network's input, if a digit
	Notice  msg.Key       // CmdOpen without a digit: why, in a few words, drawn in the page's language
	Message string        // CmdOpen without a digit: why, in a sentence
	MS      float64       // CmdOpen: the time to prepare and classify it
}

// A CommandKind says what a Command asks.
type CommandKind int

const (
	CmdClear   CommandKind = iota // clear the drawing or picture
	CmdOpening                    // an image is being decoded
	CmdOpen                       // show an opened image
)

// An Inbox passes commands from JS callbacks to Update. JS callbacks run
// between frames, never during one, but they must not change the state
// behind Update's back. It is safe for concurrent use.
type Inbox struct {
	mu   sync.Mutex
	cmds []Command
}

// Post adds a command, to be carried out at the next Update.
func (b *Inbox) Post(c Command) {
	b.mu.Lock()
	b.cmds = append(b.cmds, c)
	b.mu.Unlock()
}

// take appends the pending commands to dst, oldest first, and empties the
// inbox.
func (b *Inbox) take(dst []Command) []Command {
	b.mu.Lock()
	dst = append(dst, b.cmds...)
	clear(b.cmds)
	b.cmds = b.cmds[:0]
	b.mu.Unlock()
	return dst
}

// A Publisher shows a session's state outside the canvas: in the page,
// its #prediction element and events.
type Publisher interface {
	Result(r sketch.Result, ms float64) // a new result (Blank for none); ms is the inference time
	Notice(message string)              // no digit, and why, in a sentence
	Busy(busy bool)                     // whether the shown result may still change
	Error(err error)                    // a failure that is not the user's doing
}

// A Predictor classifies prepared inputs, as *pretrained.Predictor does.
type Predictor interface {
	Predict(in *digit.Input) pretrained.Prediction
}

// A Session is the app's state. Make one with New.
type Session struct {
	sketch    sketch.Sketch
	sched     sketch.Scheduler
	predictor Predictor
	pub       Publisher
	inbox     *Inbox
	cmds      []Command
	tick      int

	result sketch.Result
	input  *digit.Input // the network's input for result, or nil
	ms     float64      // the last inference time

	// An opened picture replaces the drawing until the next stroke or
	// Clear.
	picture *image.NRGBA // nil when showing a drawing
	notice  msg.Key      // why an opened picture shows no digit
	opening bool         // an image is being decoded
	busy    bool         // the shown result may still change (aria-busy)
}

// New returns a session with nothing drawn that predicts with p, publishes
// through pub and takes the page's commands from in.
func New(p Predictor, pub Publisher, in *Inbox) *Session {
	return &Session{
		predictor: p, pub: pub, inbox: in,
		result: sketch.Blank(),
		busy:   true, // as index.html starts
	}
}

// Sketch returns the drawing, for drawing it.
func (s *Session) Sketch() *sketch.Sketch { return &s.sketch }

// Result returns the result shown.
func (s *Session) Result() sketch.Result { return s.result }

// Input returns the network's input for the result shown, or nil.
func (s *Session) Input() *digit.Input { return s.input }

// Picture returns the opened picture shown instead of a drawing, or nil.
func (s *Session) Picture() *image.NRGBA { return s.picture }

// Notice returns why an opened picture shows no digit, in a few words, or
// "".
func (s *Session) Notice() msg.Key { return s.notice }

// Update runs one tick (ebiten's, 60 a second): the page's commands first,
// then input, which maps the user's input to Press, Move, Release, Clear
// and Undo, then a prediction if one is due, and last aria-busy.
func (s *Session) Update(input func()) {
	s.tick++
	s.handleCommands()
	input()
	if s.sched.Due(s.tick, s.sketch.Version(), s.sketch.Drawing()) {
		s.predict()
	}
	if busy := s.opening || !s.sched.Current(s.sketch.Version(), s.sketch.Drawing()); busy != s.busy {
		s.busy = busy
		s.pub.Busy(busy)
	}
}

// handleCommands carries out what the page asked for since the last tick.
func (s *Session) handleCommands() {
	s.cmds = s.inbox.take(s.cmds[:0])
	for i, c := range s.cmds {
		switch c.Kind {
		case CmdClear:
			s.Clear()
		case CmdOpening:
			s.opening = true
		case CmdOpen:
			s.showPicture(c)
		}
		s.cmds[i] = Command{} // let the picture go
	}
}

// Clear removes the drawing, or the opened picture.
func (s *Session) Clear() {
	if s.dropPicture() {
		s.setResult(sketch.Blank(), nil)
	}
	s.sketch.Clear()
}

// Undo removes the last stroke, or the opened picture.
func (s *Session) Undo() {
	if s.picture != nil || s.notice != "" {
		s.Clear()
		return
	}
	s.sketch.Undo()
}

// Press starts a stroke at p, in canvas units. Drawing on a picture starts
// a fresh drawing.
func (s *Session) Press(id sketch.PointerID, p digit.Point) {
	s.dropPicture()
	s.sketch.Press(id, p)
}

// Move extends pointer id's stroke to p.
func (s *Session) Move(id sketch.PointerID, p digit.Point) { s.sketch.Move(id, p) }

// Release ends pointer id's stroke.
func (s *Session) Release(id sketch.PointerID) { s.sketch.Release(id) }

// dropPicture forgets the opened picture, if any, and reports whether there
// was one (or a notice about one).
func (s *Session) dropPicture() bool {
	if s.picture == nil && s.notice == "" {
		return false
	}
	s.picture, s.notice = nil, ""
	return true
}

// showPicture replaces the drawing with an opened picture and its result.
func (s *Session) showPicture(c Command) {
	s.opening = false
	s.dropPicture()
	s.sketch.Clear()
	// The drawing's change is not to be predicted: the picture's result
	// stands until the next stroke.
	s.sched.Due(s.tick, s.sketch.Version(), false)
	s.picture, s.notice = c.Picture, c.Notice
	s.result, s.input, s.ms = c.Result, c.Input, c.MS
	if s.input != nil {
		s.pub.Result(s.result, s.ms)
	} else {
		s.pub.Notice(c.Message)
	}
}

// setResult shows r, the result for in, and publishes it.
func (s *Session) setResult(r sketch.Result, in *digit.Input) {
	s.result, s.input = r, in
	s.pub.Result(s.result, s.ms)
}

// predict classifies the drawing and publishes the result.
func (s *Session) predict() {
	if s.sketch.Empty() {
		s.setResult(sketch.Blank(), nil)
		return
	}
	start := time.Now()
	strokes, width := s.sketch.Scaled(InputSide)
	in, err := digit.FromStrokes(strokes, width)
	if err != nil {
		if !errors.Is(err, digit.ErrNoInk) {
			s.pub.Error(err)
		}
		s.setResult(sketch.Blank(), nil)
		return
	}
	p := s.predictor.Predict(in)
	s.ms = float64(time.Since(start).Microseconds()) / 1000
	s.setResult(sketch.NewResult(p), in)
}
