package trace_test

import (
	"fmt"

	"github.com/tegaki/tegaki/nn/digit/trace"
)

func ExampleStrokes() {
	// A 7 of 8×8 pixels, two pixels thick.
	const seven = "" +
		"########" +
		"########" +
		".....##." +
		"....##.." +
		"...##..." +
		"..##...." +
		".##....." +
		".##....."
	pix := make([]byte, len(seven))
	for i, c := range seven {
		if c == '#' {
			pix[i] = 255
		}
	}
	strokes, pen := trace.Strokes(pix, 8, 8)
	fmt.Println(strokes)
	fmt.Printf("pen %.1f\n", pen)
	// Output:
	// [[{1.5 0.5} {4.5 0.5} {5.5 1.5} {5.5 3.5} {2.5 6.5}]]
	// pen 2.3
}
