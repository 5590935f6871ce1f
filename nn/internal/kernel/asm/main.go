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
	batchNorm()
	for r := 1; r <= dotRows; r++ {
		for c := 1; c <= dotCols; c++ {
			dots(r, c)
		}
	}
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

	// A step's fused multiply-adds wait for the previous step's (four or
	// five cycles). With six rows, twelve accumulators keep both FMA units
	// busy meanwhile; with one or two, the unrolled steps take turns
	// between sets of accumulators of their own, summed before the store,
	// so that at least eight sums are in flight.
	sets := max(1, min(unroll, 8/(rows*vecs)))
	accs := make([][][vecs]VecVirtual, sets)
	for s := range sets {
		accs[s] = make([][vecs]VecVirtual, rows)
		for r := range rows {
			for v := range vecs {
				accs[s][r][v] = YMM()
				VXORPS(accs[s][r][v], accs[s][r][v], accs[s][r][v])
			}
		}
	}
	acc := accs[0]

	// step does one k: c[r][:] += a[r] · b[:] for every row r, into the
	// accumulators of set s, then moves a to its next column and b to its
	// next row.
	step := func(s int) {
		var bv [vecs]VecVirtual
		for v := range vecs {
			bv[v] = YMM()
			VMOVUPS(Mem{Base: b, Disp: 4 * v * lanes}, bv[v])
		}
		for r := range rows {
			t := YMM()
			VBROADCASTSS(Mem{Base: a, Disp: 4 * r}, t)
			for v := range vecs {
				VFMADD231PS(bv[v], t, accs[s][r][v])
			}
		}
		ADDQ(lda, a)
		ADDQ(ldb, b)
	}

	Comment("Steps of k, unroll at a time.")
	Label(name + "_unrolled")
	CMPQ(kc, U8(unroll))
	JL(LabelRef(name + "_tail"))
	for u := range unroll {
		step(u % sets)
	}
	SUBQ(U8(unroll), kc)
	JMP(LabelRef(name + "_unrolled"))

	Comment("The remaining steps, one at a time.")
	Label(name + "_tail")
	TESTQ(kc, kc)
	JZ(LabelRef(name + "_sum"))
	step(0)
	DECQ(kc)
	JMP(LabelRef(name + "_tail"))

	Label(name + "_sum")
	for s := 1; s < sets; s++ {
		for r := range rows {
			for v := range vecs {
				VADDPS(accs[s][r][v], acc[r][v], acc[r][v])
			}
		}
	}

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

// transposeLoop emits a function of the signature
// func(kc int, src *float32, ld int, dst *float32) that runs body over kc
// in steps of 8, with src's row stride in bytes in ld and 3·ld in ld3, and
// then moves src 8 floats on and dst dstStep bytes.
func transposeLoop(name string, doc []string, dstStep int, body func(src, ld, ld3, dst Register)) {
	TEXT(name, NOSPLIT, "func(kc int, src *float32, ld int, dst *float32)")
	Doc(doc...)
	kc := Load(Param("kc"), GP64())
	src := Load(Param("src"), GP64())
	ld := Load(Param("ld"), GP64())
	dst := Load(Param("dst"), GP64())
	SHLQ(U8(2), ld)
	ld3 := GP64()
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)

	Label(name + "_loop")
	CMPQ(kc, U8(8))
	JL(LabelRef(name + "_done"))
	body(src, ld, ld3, dst)
	ADDQ(U8(32), src)
	if dstStep < 128 {
		ADDQ(U8(dstStep), dst)
	} else {
		ADDQ(U32(dstStep), dst)
	}
	SUBQ(U8(8), kc)
	JMP(LabelRef(name + "_loop"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// packTransposed generates packT16, which packs a transposed b: sixteen
// rows of b, each kc long, become kc rows of sixteen, in the layout packB
// gives a panel. Done one float at a time, this copy took as long as the
// product it fed (the weight gradient of a convolution, long in k), so it
// is done in 8×8 blocks, in registers.
func packTransposed() {
	doc := []string{
		"packT16 sets dst[l*16+j] = src[j*ld+l] for j < 16 and l < kc, a multiple of 8.",
		"It needs AVX.",
	}
	transposeLoop("packT16", doc, 8*64, func(src, ld, ld3, dst Register) {
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
	})
}

// packRows generates packA6, which packs six rows of an untransposed a into
// a panel: for each l, the six values of column l. It transposes 8×8 blocks
// whose last two rows are zeros and stores each column's eight values 24
// bytes after the previous column's, in order, so that every store's two
// extra zeros land where the next store, or the next panel, writes.
func packRows() {
	doc := []string{
		"packA6 sets dst[l*6+r] = src[r*ld+l] for r < 6 and l < kc, a multiple of 8, and",
		"writes zeros to dst[kc*6] and dst[kc*6+1]. It needs AVX.",
	}
	transposeLoop("packA6", doc, 8*24, func(src, ld, ld3, dst Register) {
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
	})
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
		x := YMM()
		VBROADCASTSS(paramAddr(name), x)
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

// batchNorm generates the loops of batch normalisation over one channel's
// values in one sample, eight at a time. The sums are taken in float64, as
// the Go loops do, in four lanes per register and two registers, so they
// add in another order than the Go loops: their results can differ in the
// last bits. The rest repeats the Go loops' float32 operations exactly.
func batchNorm() {
	// loop emits a loop over i in steps of 8 up to n, calling body.
	loop := func(name string, n Register, body func(i Register)) {
		i := GP64()
		XORQ(i, i)
		Label(name + "_loop")
		CMPQ(i, n)
		JGE(LabelRef(name + "_done"))
		body(i)
		ADDQ(U8(8), i)
		JMP(LabelRef(name + "_loop"))
		Label(name + "_done")
	}
	// widen converts eight floats at m to float64 in two YMM registers.
	widen := func(m Mem) (lo, hi VecVirtual) {
		lo, hi = YMM(), YMM()
		VCVTPS2PD(m, lo)
		VCVTPS2PD(m.Offset(16), hi)
		return lo, hi
	}
	// reduce adds the four float64 lanes of a and b and stores the sum as
	// the function's result number ret.
	reduce := func(a, b VecVirtual, ret int) {
		VADDPD(b, a, a)
		hi := XMM()
		VEXTRACTF128(U8(1), a, hi)
		VADDPD(hi, a.AsX(), hi)
		sw := XMM()
		VPERMILPD(U8(1), hi, sw)
		VADDSD(sw, hi, hi)
		Store(hi, ReturnIndex(ret))
	}
	at := func(base, i Register) Mem { return Mem{Base: base, Index: i, Scale: 4} }
	zero := func() VecVirtual {
		z := YMM()
		VXORPD(z, z, z)
		return z
	}

	TEXT("sum8", NOSPLIT, "func(n int, x *float32) float64")
	Doc("sum8 returns the sum of the first n elements of x, a multiple of 8, in float64.", "It needs AVX.")
	n := Load(Param("n"), GP64())
	x := Load(Param("x"), GP64())
	a, b := zero(), zero()
	loop("sum8", n, func(i Register) {
		lo, hi := widen(at(x, i))
		VADDPD(lo, a, a)
		VADDPD(hi, b, b)
	})
	reduce(a, b, 0)
	VZEROUPPER()
	RET()

	TEXT("squaredDeviations8", NOSPLIT, "func(n int, x *float32, mean float64) float64")
	Doc("squaredDeviations8 returns the sum of (x[i] - mean)² over the first n elements", "of x, a multiple of 8, in float64. It needs AVX.")
	n = Load(Param("n"), GP64())
	x = Load(Param("x"), GP64())
	mean := YMM()
	VBROADCASTSD(paramAddr("mean"), mean)
	a, b = zero(), zero()
	loop("squaredDeviations8", n, func(i Register) {
		lo, hi := widen(at(x, i))
		VSUBPD(mean, lo, lo)
		VSUBPD(mean, hi, hi)
		VMULPD(lo, lo, lo)
		VMULPD(hi, hi, hi)
		VADDPD(lo, a, a)
		VADDPD(hi, b, b)
	})
	reduce(a, b, 0)
	VZEROUPPER()
	RET()

	TEXT("gradSums8", NOSPLIT, "func(n int, d, xhat *float32) (sumD, sumDXhat float64)")
	Doc("gradSums8 returns the sums of d[i] and of d[i]·xhat[i] (a float32 product) over", "the first n elements, a multiple of 8, in float64. It needs AVX.")
	n = Load(Param("n"), GP64())
	d := Load(Param("d"), GP64())
	xh := Load(Param("xhat"), GP64())
	a, b = zero(), zero()
	c, e := zero(), zero()
	loop("gradSums8", n, func(i Register) {
		lo, hi := widen(at(d, i))
		VADDPD(lo, a, a)
		VADDPD(hi, b, b)
		p := YMM()
		VMOVUPS(at(d, i), p)
		VMULPS(at(xh, i), p, p)
		plo, phi := YMM(), YMM()
		VCVTPS2PD(p.AsX(), plo)
		VEXTRACTF128(U8(1), p, p.AsX())
		VCVTPS2PD(p.AsX(), phi)
		VADDPD(plo, c, c)
		VADDPD(phi, e, e)
	})
	reduce(a, b, 0)
	reduce(c, e, 1)
	VZEROUPPER()
	RET()

	TEXT("normalize8", NOSPLIT, "func(n int, y, xhat, x *float32, mean, inv, gamma, beta float32)")
	Doc("normalize8 sets xhat[i] = (x[i] - mean)·inv and y[i] = gamma·xhat[i] + beta for", "the first n elements, a multiple of 8. It needs AVX.")
	n = Load(Param("n"), GP64())
	y := Load(Param("y"), GP64())
	xh = Load(Param("xhat"), GP64())
	x = Load(Param("x"), GP64())
	bc := func(name string) VecVirtual {
		v := YMM()
		VBROADCASTSS(paramAddr(name), v)
		return v
	}
	m32, inv, g, be := bc("mean"), bc("inv"), bc("gamma"), bc("beta")
	loop("normalize8", n, func(i Register) {
		h := YMM()
		VMOVUPS(at(x, i), h)
		VSUBPS(m32, h, h)
		VMULPS(inv, h, h)
		VMOVUPS(h, at(xh, i))
		VMULPS(g, h, h)
		VADDPS(be, h, h)
		VMOVUPS(h, at(y, i))
	})
	VZEROUPPER()
	RET()

	TEXT("scaleShift8", NOSPLIT, "func(n int, y, x *float32, scale, shift float32)")
	Doc("scaleShift8 sets y[i] = x[i]·scale + shift for the first n elements, a multiple", "of 8. It needs AVX.")
	n = Load(Param("n"), GP64())
	y = Load(Param("y"), GP64())
	x = Load(Param("x"), GP64())
	sc, sh := bc("scale"), bc("shift")
	loop("scaleShift8", n, func(i Register) {
		v := YMM()
		VMULPS(at(x, i), sc, v)
		VADDPS(sh, v, v)
		VMOVUPS(v, at(y, i))
	})
	VZEROUPPER()
	RET()

	TEXT("batchNormDx8", NOSPLIT, "func(n int, dx, d, xhat *float32, k, mb, mg float32)")
	Doc("batchNormDx8 sets dx[i] = k·(d[i] - mb - xhat[i]·mg) for the first n elements, a", "multiple of 8. It needs AVX.")
	n = Load(Param("n"), GP64())
	dx := Load(Param("dx"), GP64())
	d = Load(Param("d"), GP64())
	xh = Load(Param("xhat"), GP64())
	k, mb, mg := bc("k"), bc("mb"), bc("mg")
	loop("batchNormDx8", n, func(i Register) {
		v, t := YMM(), YMM()
		VMOVUPS(at(d, i), v)
		VSUBPS(mb, v, v)
		VMULPS(at(xh, i), mg, t)
		VSUBPS(t, v, v)
		VMULPS(k, v, v)
		VMOVUPS(v, at(dx, i))
	})
	VZEROUPPER()
	RET()
}

// paramAddr returns the address of the current function's argument name.
func paramAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// The largest block of dots: 12 accumulators, 3 rows of b and 1 of a fill
// the 16 YMM registers (avo would otherwise reach for AVX-512's Y16 and up).
// simd_amd64.go repeats the two numbers.
const dotRows, dotCols = 4, 3

// dots generates dotRxC, which adds to an r×c block of c the dot products
// of r rows of a with c rows of b, all contiguous and kc long: a·bᵀ for
// products small in m and n and long in k (the weight gradient of a first
// convolution: 16 filters by 9 or 25 weights, summed over 78,400
// positions), where panels of 6×16 would be mostly padding. The r·c
// accumulators take eight products a step each and are added across their
// lanes at the end.
func dots(rows, cols int) {
	name := fmt.Sprintf("dot%dx%d", rows, cols)
	TEXT(name, NOSPLIT, "func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)")
	Doc(
		fmt.Sprintf("%s adds Σ_l a[i*lda+l]·b[j*ldb+l] over l < kc, a multiple of 8, to", name),
		fmt.Sprintf("c[i*ldc+j] for i < %d and j < %d. It needs AVX2 and FMA.", rows, cols),
	)
	kc := Load(Param("kc"), GP64())
	a := Load(Param("a"), GP64())
	lda := Load(Param("lda"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	SHLQ(U8(2), lda)
	SHLQ(U8(2), ldb)
	// Row pointers: rows of a at a, a+lda, a+2·lda; rows of b likewise.
	ar := []Register{a}
	for i := 1; i < rows; i++ {
		r := GP64()
		LEAQ(Mem{Base: ar[i-1], Index: lda, Scale: 1}, r)
		ar = append(ar, r)
	}
	br := []Register{b}
	for j := 1; j < cols; j++ {
		r := GP64()
		LEAQ(Mem{Base: br[j-1], Index: ldb, Scale: 1}, r)
		br = append(br, r)
	}
	acc := make([][]VecVirtual, rows)
	for i := range rows {
		acc[i] = make([]VecVirtual, cols)
		for j := range cols {
			acc[i][j] = YMM()
			VXORPS(acc[i][j], acc[i][j], acc[i][j])
		}
	}
	l := GP64()
	XORQ(l, l)
	Label(name + "_loop")
	CMPQ(l, kc)
	JGE(LabelRef(name + "_reduce"))
	bv := make([]VecVirtual, cols)
	for j := range cols {
		bv[j] = YMM()
		VMOVUPS(Mem{Base: br[j], Index: l, Scale: 4}, bv[j])
	}
	for i := range rows {
		av := YMM()
		VMOVUPS(Mem{Base: ar[i], Index: l, Scale: 4}, av)
		for j := range cols {
			VFMADD231PS(bv[j], av, acc[i][j])
		}
	}
	ADDQ(U8(8), l)
	JMP(LabelRef(name + "_loop"))

	Label(name + "_reduce")
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	for i := range rows {
		for j := range cols {
			v := acc[i][j]
			hi := XMM()
			VEXTRACTF128(U8(1), v, hi)
			VADDPS(hi, v.AsX(), hi)
			VHADDPS(hi, hi, hi)
			VHADDPS(hi, hi, hi)
			VADDSS(Mem{Base: c, Disp: 4 * j}, hi, hi)
			VMOVSS(hi, Mem{Base: c, Disp: 4 * j})
		}
		if i < rows-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}
