// Command asm generates the AVX2 micro-kernels of package kernel,
// micro_amd64.s, with avo (github.com/mmcloughlin/avo).
//
// Run it through go generate in package kernel:
//
//	go generate ./nn/internal/kernel
//
// avo writes Go's assembler syntax from Go code: the loop below is unrolled
// by Go's own for loops and registers are allocated by avo, so the kernel's
// shape (up to 6 rows by 16 columns) is a pair of constants rather than two
// hundred hand-numbered lines, and the generated file is reproducible.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// The tile of c the kernel keeps in registers: mr rows of nr columns. AVX2
// has sixteen 8-wide YMM registers; 6 rows of 2 registers are twelve
// accumulators, leaving two for a row of b and one for a broadcast value of
// a. Each step of k then loads 2 + 6 values for 12 fused multiply-adds,
// which keeps both FMA units busy on the load ports a core has.
const (
	mr     = 6
	nr     = 16
	lanes  = 8
	vecs   = nr / lanes
	unroll = 4
)

func main() {
	for rows := 1; rows <= mr; rows++ {
		micro(rows)
	}
	packTransposed()
	packRows()
	elementwise()
	Generate()
}

// micro generates the kernel for a tile of rows rows of c by nr columns.
// The kernels for fewer than mr rows serve the last panel of a and products
// of a single row (one digit through an affine layer), which would
// otherwise compute mr rows to keep one.
func micro(rows int) {
	name := fmt.Sprintf("micro%dx%d", rows, nr)
	TEXT(name, NOSPLIT, "func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, accumulate bool)")
	Doc(
		fmt.Sprintf("%s adds the product of %d rows of a, whose columns are lda floats apart", name, rows),
		fmt.Sprintf("(%d in a panel packed as packA lays it out), and %d columns of b, whose rows", mr, nr),
		"are ldb floats apart, both kc long, to the tile of c whose rows are ldc floats",
		"apart, or stores it there when accumulate is false. It needs AVX2 and FMA.",
	)
	kc := Load(Param("kc"), GP64())
	a := Load(Param("a"), GP64())
	lda := Load(Param("lda"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), lda) // floats to bytes
	SHLQ(U8(2), ldb)
	SHLQ(U8(2), ldc)

	acc := make([][vecs]VecVirtual, rows)
	for r := range rows {
		for v := range vecs {
			acc[r][v] = YMM()
			VXORPS(acc[r][v], acc[r][v], acc[r][v])
		}
	}

	// step does one k: c[r][:] += a[r] · b[:] for every row r, then moves
	// a to its next column and b to its next row.
	step := func() {
		var bv [vecs]VecVirtual
		for v := range vecs {
			bv[v] = YMM()
			VMOVUPS(Mem{Base: b, Disp: 4 * v * lanes}, bv[v])
		}
		for r := range rows {
			t := YMM()
			VBROADCASTSS(Mem{Base: a, Disp: 4 * r}, t)
			for v := range vecs {
				VFMADD231PS(bv[v], t, acc[r][v])
			}
		}
		ADDQ(lda, a)
		ADDQ(ldb, b)
	}

	Comment("Steps of k, unroll at a time.")
	Label(name + "_unrolled")
	CMPQ(kc, U8(unroll))
	JL(LabelRef(name + "_tail"))
	for range unroll {
		step()
	}
	SUBQ(U8(unroll), kc)
	JMP(LabelRef(name + "_unrolled"))

	Comment("The remaining steps, one at a time.")
	Label(name + "_tail")
	TESTQ(kc, kc)
	JZ(LabelRef(name + "_store"))
	step()
	DECQ(kc)
	JMP(LabelRef(name + "_tail"))

	Label(name + "_store")
	accumulate := Load(Param("accumulate"), GP8())
	TESTB(accumulate, accumulate)
	JZ(LabelRef(name + "_overwrite"))
	Comment("Add the tile to c.")
	row := GP64()
	MOVQ(c, row)
	for r := range rows {
		for v := range vecs {
			VADDPS(Mem{Base: row, Disp: 4 * v * lanes}, acc[r][v], acc[r][v])
			VMOVUPS(acc[r][v], Mem{Base: row, Disp: 4 * v * lanes})
		}
		if r < rows-1 {
			ADDQ(ldc, row)
		}
	}
	VZEROUPPER()
	RET()

	Label(name + "_overwrite")
	Comment("Store the tile in c.")
	for r := range rows {
		for v := range vecs {
			VMOVUPS(acc[r][v], Mem{Base: c, Disp: 4 * v * lanes})
		}
		if r < rows-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}

// transpose8x8 emits the classic 8×8 transpose of rows r by unpack, shuffle
// and lane permute, and returns its columns.
func transpose8x8(r [8]VecVirtual) [8]VecVirtual {
	var t [8]VecVirtual
	for i := 0; i < 8; i += 2 {
		t[i], t[i+1] = YMM(), YMM()
		VUNPCKLPS(r[i+1], r[i], t[i])
		VUNPCKHPS(r[i+1], r[i], t[i+1])
	}
	// u[q..q+3] hold columns 0-3 of rows q to q+3 in their low lane and
	// columns 4-7 in their high lane.
	var u [8]VecVirtual
	for q := 0; q < 8; q += 4 {
		for h := range 2 {
			lo, hi := YMM(), YMM()
			VSHUFPS(U8(0x44), t[q+2+h], t[q+h], lo)
			VSHUFPS(U8(0xEE), t[q+2+h], t[q+h], hi)
			u[q+2*h], u[q+2*h+1] = lo, hi
		}
	}
	var cols [8]VecVirtual
	for i := range 4 {
		cols[i], cols[i+4] = YMM(), YMM()
		VPERM2F128(U8(0x20), u[4+i], u[i], cols[i])
		VPERM2F128(U8(0x31), u[4+i], u[i], cols[i+4])
	}
	return cols
}

// rowAddrs returns the addresses of 8 rows ld bytes apart from base, given
// ld3 = 3·ld, with base4 = base + 4·ld computed into a register.
func rowAddrs(base, ld, ld3 Register) []Mem {
	base4 := GP64()
	LEAQ(Mem{Base: base, Index: ld, Scale: 4}, base4)
	return []Mem{
		{Base: base}, {Base: base, Index: ld, Scale: 1}, {Base: base, Index: ld, Scale: 2}, {Base: base, Index: ld3, Scale: 1},
		{Base: base4}, {Base: base4, Index: ld, Scale: 1}, {Base: base4, Index: ld, Scale: 2}, {Base: base4, Index: ld3, Scale: 1},
	}
}

// packTransposed generates packT16, which packs a transposed b: sixteen
// rows of b, each kc long, become kc rows of sixteen, in the layout packB
// gives a panel. Done one float at a time, this copy took as long as the
// product it fed (the weight gradient of a convolution, long in k), so it
// is done in 8×8 blocks, in registers.
func packTransposed() {
	TEXT("packT16", NOSPLIT, "func(kc int, src *float32, ld int, dst *float32)")
	Doc(
		"packT16 sets dst[l*16+j] = src[j*ld+l] for j < 16 and l < kc, a multiple of 8.",
		"It needs AVX.",
	)
	kc := Load(Param("kc"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	dst := Load(Param("dst"), GP64())
	SHLQ(U8(2), ld)
	ld3 := GP64()
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)

	Label("packT16_loop")
	CMPQ(kc, U8(8))
	JL(LabelRef("packT16_done"))
	for half := range 2 {
		// Rows 8·half to 8·half+7 of src, columns l to l+7.
		base := GP64()
		MOVQ(src, base)
		if half == 1 {
			LEAQ(Mem{Base: src, Index: ld, Scale: 8}, base)
		}
		var r [8]VecVirtual
		for i, addr := range rowAddrs(base, ld, ld3) {
			r[i] = YMM()
			VMOVUPS(addr, r[i])
		}
		for i, col := range transpose8x8(r) {
			VMOVUPS(col, Mem{Base: dst, Disp: 64*i + 32*half})
		}
	}
	ADDQ(U8(32), src)
	ADDQ(U32(8*64), dst)
	SUBQ(U8(8), kc)
	JMP(LabelRef("packT16_loop"))
	Label("packT16_done")
	VZEROUPPER()
	RET()
}

// packRows generates packA6, which packs six rows of an untransposed a into
// a panel: for each l, the six values of column l. It transposes 8×8 blocks
// whose last two rows are zeros and stores each column's eight values 24
// bytes after the previous column's, in order, so that every store's two
// extra zeros land where the next store, or the next panel, writes.
func packRows() {
	TEXT("packA6", NOSPLIT, "func(kc int, src *float32, ld int, dst *float32)")
	Doc(
		"packA6 sets dst[l*6+r] = src[r*ld+l] for r < 6 and l < kc, a multiple of 8, and",
		"writes zeros to dst[kc*6] and dst[kc*6+1]. It needs AVX.",
	)
	kc := Load(Param("kc"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	dst := Load(Param("dst"), GP64())
	SHLQ(U8(2), ld)
	ld3 := GP64()
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)

	Label("packA6_loop")
	CMPQ(kc, U8(8))
	JL(LabelRef("packA6_done"))
	var r [8]VecVirtual
	for i, addr := range rowAddrs(src, ld, ld3)[:6] {
		r[i] = YMM()
		VMOVUPS(addr, r[i])
	}
	for i := 6; i < 8; i++ {
		r[i] = YMM()
		VXORPS(r[i], r[i], r[i])
	}
	for i, col := range transpose8x8(r) {
		VMOVUPS(col, Mem{Base: dst, Disp: 24 * i})
	}
	ADDQ(U8(32), src)
	ADDQ(U8(8*24), dst)
	SUBQ(U8(8), kc)
	JMP(LabelRef("packA6_loop"))
	Label("packA6_done")
	VZEROUPPER()
	RET()
}

// elementwise generates the loops over whole tensors that profiles of
// training showed: Adam's step and the ReLU's forward and backward passes,
// eight floats at a time. Each does the same IEEE operations in the same
// order as its Go loop (no fused multiply-adds), so that the results do not
// depend on the CPU.
func elementwise() {
	TEXT("adam8", NOSPLIT, "func(n int, w, grad, m, v *float32, lr, beta1c, beta2c, eps float32)")
	Doc(
		"adam8 runs adamState.step's arithmetic on the first n elements, a multiple of 8.",
		"It needs AVX.",
	)
	n := Load(Param("n"), GP64())
	w := Load(Param("w"), GP64())
	g := Load(Param("grad"), GP64())
	m := Load(Param("m"), GP64())
	v := Load(Param("v"), GP64())
	broadcast := func(name string) VecVirtual {
		b, err := Param(name).Resolve()
		if err != nil {
			panic(err)
		}
		x := YMM()
		VBROADCASTSS(b.Addr, x)
		return x
	}
	lr, b1, b2, eps := broadcast("lr"), broadcast("beta1c"), broadcast("beta2c"), broadcast("eps")
	i := GP64()
	XORQ(i, i)
	Label("adam8_loop")
	CMPQ(i, n)
	JGE(LabelRef("adam8_done"))
	at := func(base Register) Mem { return Mem{Base: base, Index: i, Scale: 4} }
	gi, mi, vi, wi := YMM(), YMM(), YMM(), YMM()
	VMOVUPS(at(g), gi)
	VMOVUPS(at(m), mi)
	VMOVUPS(at(v), vi)
	VMOVUPS(at(w), wi)
	// m += β₁c·(g - m)
	d := YMM()
	VSUBPS(mi, gi, d)
	VMULPS(b1, d, d)
	VADDPS(d, mi, mi)
	VMOVUPS(mi, at(m))
	// v += β₂c·(g·g - v)
	VMULPS(gi, gi, gi)
	VSUBPS(vi, gi, gi)
	VMULPS(b2, gi, gi)
	VADDPS(gi, vi, vi)
	VMOVUPS(vi, at(v))
	// w -= lr·m / (√v + ε)
	VSQRTPS(vi, vi)
	VADDPS(eps, vi, vi)
	VMULPS(lr, mi, mi)
	VDIVPS(vi, mi, mi)
	VSUBPS(mi, wi, wi)
	VMOVUPS(wi, at(w))
	ADDQ(U8(8), i)
	JMP(LabelRef("adam8_loop"))
	Label("adam8_done")
	VZEROUPPER()
	RET()

	TEXT("relu8", NOSPLIT, "func(n int, y, x *float32)")
	Doc(
		"relu8 sets y[i] = max(x[i], 0) for the first n elements, a multiple of 8: with",
		"x second in VMAXPS, a NaN passes through, as with Go's max, but -0 stays -0.",
		"It needs AVX.",
	)
	n = Load(Param("n"), GP64())
	y := Load(Param("y"), GP64())
	x := Load(Param("x"), GP64())
	zero := YMM()
	VXORPS(zero, zero, zero)
	i = GP64()
	XORQ(i, i)
	Label("relu8_loop")
	CMPQ(i, n)
	JGE(LabelRef("relu8_done"))
	xv := YMM()
	VMAXPS(Mem{Base: x, Index: i, Scale: 4}, zero, xv)
	VMOVUPS(xv, Mem{Base: y, Index: i, Scale: 4})
	ADDQ(U8(8), i)
	JMP(LabelRef("relu8_loop"))
	Label("relu8_done")
	VZEROUPPER()
	RET()

	TEXT("reluBackward8", NOSPLIT, "func(n int, dx, dy, y *float32)")
	Doc(
		"reluBackward8 sets dx[i] = dy[i] where y[i] > 0 and 0 elsewhere, for the first n",
		"elements, a multiple of 8. It needs AVX.",
	)
	n = Load(Param("n"), GP64())
	dx := Load(Param("dx"), GP64())
	dy := Load(Param("dy"), GP64())
	y = Load(Param("y"), GP64())
	zero = YMM()
	VXORPS(zero, zero, zero)
	i = GP64()
	XORQ(i, i)
	Label("reluBackward8_loop")
	CMPQ(i, n)
	JGE(LabelRef("reluBackward8_done"))
	mask := YMM()
	// Predicate 0x0E is "greater than, ordered": false for NaNs.
	VMOVUPS(Mem{Base: y, Index: i, Scale: 4}, mask)
	VCMPPS(U8(0x0E), zero, mask, mask)
	VANDPS(Mem{Base: dy, Index: i, Scale: 4}, mask, mask)
	VMOVUPS(mask, Mem{Base: dx, Index: i, Scale: 4})
	ADDQ(U8(8), i)
	JMP(LabelRef("reluBackward8_loop"))
	Label("reluBackward8_done")
	VZEROUPPER()
	RET()
}
