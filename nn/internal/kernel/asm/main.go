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
	Generate()
}

// micro generates the kernel for a tile of rows rows of c by nr columns.
// The kernels for fewer than mr rows serve the last panel of a and products
// of a single row (one digit through an affine layer), which would
// otherwise compute mr rows to keep one.
func micro(rows int) {
	name := fmt.Sprintf("micro%dx%d", rows, nr)
	TEXT(name, NOSPLIT, "func(kc int, a, b *float32, ldb int, c *float32, ldc int, accumulate bool)")
	Doc(
		fmt.Sprintf("%s adds the product of a %d-row panel a, packed as packA lays it out,", name, rows),
		fmt.Sprintf("and %d columns of b, whose rows are ldb floats apart, both kc long, to the", nr),
		"tile of c whose rows are ldc floats apart, or stores it there when accumulate is",
		"false. It needs AVX2 and FMA.",
	)
	kc := Load(Param("kc"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes
	SHLQ(U8(2), ldc)

	acc := make([][vecs]VecVirtual, rows)
	for r := range rows {
		for v := range vecs {
			acc[r][v] = YMM()
			VXORPS(acc[r][v], acc[r][v], acc[r][v])
		}
	}

	// step does one k: c[r][:] += a[r] · b[:] for every row r, then moves
	// b to its next row.
	step := func(u int) {
		var bv [vecs]VecVirtual
		for v := range vecs {
			bv[v] = YMM()
			VMOVUPS(Mem{Base: b, Disp: 4 * v * lanes}, bv[v])
		}
		for r := range rows {
			t := YMM()
			VBROADCASTSS(Mem{Base: a, Disp: 4 * (u*mr + r)}, t)
			for v := range vecs {
				VFMADD231PS(bv[v], t, acc[r][v])
			}
		}
		ADDQ(ldb, b)
	}

	Comment("Steps of k, unroll at a time.")
	Label(name + "_unrolled")
	CMPQ(kc, U8(unroll))
	JL(LabelRef(name + "_tail"))
	for u := range unroll {
		step(u)
	}
	ADDQ(U32(4*unroll*mr), a)
	SUBQ(U8(unroll), kc)
	JMP(LabelRef(name + "_unrolled"))

	Comment("The remaining steps, one at a time.")
	Label(name + "_tail")
	TESTQ(kc, kc)
	JZ(LabelRef(name + "_store"))
	step(0)
	ADDQ(U32(4*mr), a)
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
