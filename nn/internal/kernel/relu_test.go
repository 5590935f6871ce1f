package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReluBits checks reluBits against the builtin max(v, 0) on the special
// values and on random bit patterns (NaNs match as NaNs: the builtin's NaN
// differs from platform to platform).
func TestReluBits(t *testing.T) {
	special := []uint32{0, 0x80000000, 1, 0x80000001, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff,
		0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fc00000, 0xffc00000, 0x7fffffff, 0xffffffff}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 1 << 20 {
		var b uint32
		if i < len(special) {
			b = special[i]
		} else {
			b = rng.Uint32()
		}
		v := math.Float32frombits(b)
		got, want := reluBits(v), max(v, 0)
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			t.Errorf("reluBits(%#08x) = %#08x, want %#08x", b, math.Float32bits(got), math.Float32bits(want))
		}
	}
}

// TestPositiveMask checks positiveMask against the comparison v > 0 on the
// special values and on random bit patterns.
func TestPositiveMask(t *testing.T) {
	special := []uint32{0, 0x80000000, 1, 0x80000001, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff,
		0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fc00000, 0xffc00000, 0x7fffffff, 0xffffffff}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 1 << 20 {
		b := rng.Uint32()
		if i < len(special) {
			b = special[i]
		}
		v := math.Float32frombits(b)
		want := uint32(0)
		if v > 0 {
			want = ^uint32(0)
		}
		if got := positiveMask(v); got != want {
			t.Errorf("positiveMask(%#08x) = %#08x, want %#08x", b, got, want)
		}
	}
}
