package glyph_test

import (
	"fmt"

	"github.com/tegaki/tegaki/wasm/app/glyph"
)

// counter is a glyph.Path that counts contours. In the app the path is an
// ebiten *vector.Path, filled with vector.FillPath or DrawFilledPath.
type counter struct{ contours, segments int }

func (c *counter) MoveTo(x, y float32)                    { c.contours++ }
func (c *counter) LineTo(x, y float32)                    { c.segments++ }
func (c *counter) QuadTo(x1, y1, x2, y2 float32)          { c.segments++ }
func (c *counter) CubicTo(x1, y1, x2, y2, x3, y3 float32) { c.segments++ }
func (c *counter) Close()                                 {}

func Example() {
	// Centre a 48-unit label in a 320×240 screen.
	var p counter
	glyph.AppendCentered(&p, "Undo 42", 160, 120, 48)
	fmt.Printf("width %.1f, %d contours\n", glyph.Width("Undo 42", 48), p.contours)
	// Output:
	// width 181.5, 9 contours
}
