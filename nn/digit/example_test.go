package digit_test

import (
	"errors"
	"fmt"
	"image/png"
	"log"
	"os"
	"strings"

	"github.com/tegaki/tegaki/nn/digit"
)

// art draws an input as text, one character per pixel, darker characters
// for more ink.
func art(in *digit.Input) string {
	const shades = " .:-=+*#%@"
	var b strings.Builder
	for y := range digit.Size {
		b.WriteByte('|')
		for x := range digit.Size {
			v := in[y*digit.Size+x]
			b.WriteByte(shades[min(len(shades)-1, int(v*float32(len(shades))))])
		}
		b.WriteString("|\n")
	}
	return b.String()
}

// A digit 7 drawn in Paint (black on white, 280×280) becomes a 28×28
// MNIST-style input: ink 1, background 0, the digit 20 pixels tall and
// centred by its centre of mass.
func ExampleFromImage() {
	f, err := os.Open("testdata/seven.png")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f) // package imagefile reads any format
	if err != nil {
		log.Fatal(err)
	}
	in, err := digit.FromImage(img)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(art(in))
	// Output:
	// |                            |
	// |                            |
	// |                            |
	// |                            |
	// |                            |
	// |                            |
	// |      .:..                  |
	// |     .#@%#+-::::::::.       |
	// |     :###%@@@@@@@@@@*.      |
	// |      .. :-**+#**+*@%:      |
	// |                  -@#.      |
	// |                 .#@-       |
	// |                 =@#        |
	// |                :%@=        |
	// |                +@*         |
	// |               .#@-         |
	// |               -@*          |
	// |              .%%:          |
	// |              *@+           |
	// |             =@%:           |
	// |            :@@=            |
	// |            +@*             |
	// |           =@#.             |
	// |          .#@*              |
	// |          +@@*              |
	// |          #@@=              |
	// |          +#-               |
	// |                            |
}

// Strokes as a browser collects them (pointer down to pointer up) go
// straight to an input; a tap is not a digit.
func ExampleFromStrokes() {
	seven := []digit.Stroke{
		{{X: 70, Y: 60}, {X: 210, Y: 60}, {X: 150, Y: 180}, {X: 125, Y: 240}},
		{{X: 105, Y: 150}, {X: 190, Y: 150}},
	}
	in, err := digit.FromStrokes(seven, 16)
	if err != nil {
		log.Fatal(err)
	}
	var mass, mx, my float32
	for i, v := range in {
		mass += v
		mx += v * float32(i%digit.Size)
		my += v * float32(i/digit.Size)
	}
	fmt.Printf("centre of mass (%.1f, %.1f)\n", mx/mass, my/mass)

	tap := []digit.Stroke{{{X: 100, Y: 100}}}
	_, err = digit.FromStrokes(tap, 16)
	fmt.Println("a tap:", errors.Is(err, digit.ErrNoInk))
	// Output:
	// centre of mass (14.0, 14.0)
	// a tap: true
}
