package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveIm2col is the definition: col[(c·KH + ky)·KW + kx][(i·OH + oy)·OW + ox]
// = x[i][c][oy·S + ky - P][ox·S + kx - P], zero outside the input.
func naiveIm2col(x []float32, g ConvGeometry) []float32 {
	oh, ow := g.OutH(), g.OutW()
	col := make([]float32, g.ColRows()*g.ColCols())
	for i := range g.N {
		for c := range g.C {
			for ky := range g.KH {
				for kx := range g.KW {
					r := (c*g.KH+ky)*g.KW + kx
					for oy := range oh {
						for ox := range ow {
							iy, ix := oy*g.Stride+ky-g.Pad, ox*g.Stride+kx-g.Pad
							var v float32
							if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
								v = x[((i*g.C+c)*g.H+iy)*g.W+ix]
							}
							col[r*g.ColCols()+(i*oh+oy)*ow+ox] = v
						}
					}
				}
			}
		}
	}
	return col
}

var geometries = []ConvGeometry{
	{N: 3, C: 2, H: 7, W: 6, KH: 3, KW: 3, Stride: 1, Pad: 1},
	{N: 2, C: 3, H: 9, W: 8, KH: 5, KW: 3, Stride: 2, Pad: 2},
	{N: 4, C: 16, H: 14, W: 14, KH: 5, KW: 5, Stride: 1, Pad: 0}, // LeNet32's conv2
	{N: 1, C: 1, H: 5, W: 5, KH: 5, KW: 5, Stride: 3, Pad: 0},
}

// TestIm2col compares Im2col with the definition, and Col2im with its
// adjoint: ⟨im2col(x), d⟩ = ⟨x, col2im(d)⟩ for every x and d.
func TestIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, g := range geometries {
		x := randomSlice(rng, g.N*g.C*g.H*g.W)
		col := make([]float32, g.ColRows()*g.ColCols())
		var lower ConvLowering
		lower.Im2col(col, x, g)
		want := naiveIm2col(x, g)
		for i := range col {
			if col[i] != want[i] {
				t.Fatalf("%+v: col[%d] = %v, want %v", g, i, col[i], want[i])
			}
		}
		d := randomSlice(rng, len(col))
		dx := randomSlice(rng, len(x)) // Col2im must overwrite, not add to, dx
		lower.Col2im(dx, d)
		var lhs, rhs float64
		for i := range col {
			lhs += float64(col[i]) * float64(d[i])
		}
		for i := range x {
			rhs += float64(x[i]) * float64(dx[i])
		}
		if diff := lhs - rhs; diff > 1e-4 || diff < -1e-4 {
			t.Errorf("%+v: <im2col(x), d> = %v, <x, col2im(d)> = %v", g, lhs, rhs)
		}
	}
}

// BenchmarkCol2im and BenchmarkIm2col time LeNet32's second convolution at
// batch 100.
func BenchmarkCol2im(b *testing.B) {
	g := ConvGeometry{N: 100, C: 16, H: 14, W: 14, KH: 5, KW: 5, Stride: 1, Pad: 0}
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomSlice(rng, g.N*g.C*g.H*g.W)
	col := randomSlice(rng, g.ColRows()*g.ColCols())
	var lower ConvLowering
	lower.Im2col(col, x, g)
	for b.Loop() {
		lower.Col2im(x, col)
	}
}

func BenchmarkIm2col(b *testing.B) {
	g := ConvGeometry{N: 100, C: 16, H: 14, W: 14, KH: 5, KW: 5, Stride: 1, Pad: 0}
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomSlice(rng, g.N*g.C*g.H*g.W)
	col := make([]float32, g.ColRows()*g.ColCols())
	var lower ConvLowering
	for b.Loop() {
		lower.Im2col(col, x, g)
	}
}

func BenchmarkLowering(b *testing.B) {
	for _, g := range []ConvGeometry{
		{N: 100, C: 16, H: 14, W: 14, KH: 5, KW: 5, Stride: 1, Pad: 0}, // LeNet32 conv2
		{N: 100, C: 32, H: 7, W: 7, KH: 3, KW: 3, Stride: 1, Pad: 0},   // tegaki conv3
		{N: 100, C: 16, H: 14, W: 14, KH: 3, KW: 3, Stride: 1, Pad: 1}, // tegaki conv2
		{N: 1, C: 16, H: 14, W: 14, KH: 5, KW: 5, Stride: 1, Pad: 0},   // LeNet32 conv2, one digit
		{N: 1, C: 1, H: 28, W: 28, KH: 5, KW: 5, Stride: 1, Pad: 2},    // LeNet32 conv1, one digit
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		x := randomSlice(rng, g.N*g.C*g.H*g.W)
		col := randomSlice(rng, g.ColRows()*g.ColCols())
		var lower ConvLowering
		for _, impl := range implementations()[:2] {
			name := fmt.Sprintf("n%d-%dx%dx%d-k%d/%s", g.N, g.C, g.H, g.W, g.KH, impl.name)
			b.Run("im2col/"+name, func(b *testing.B) {
				withImplementation(impl, func() {
					for b.Loop() {
						lower.Im2col(col, x, g)
					}
				})
			})
			b.Run("col2im/"+name, func(b *testing.B) {
				withImplementation(impl, func() {
					lower.Im2col(col, x, g)
					for b.Loop() {
						lower.Col2im(x, col)
					}
				})
			})
		}
	}
}
