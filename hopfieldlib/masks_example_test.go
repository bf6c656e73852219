package hopfieldlib_test

import (
	"fmt"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Hide the bottom half of a 4×4 image, and turn images into spins and back.
func ExampleBottomHalf() {
	img, _ := hopfieldlib.FromFlat(1, 16, []float32{
		0, 1, 1, 0,
		1, 0, 0, 1,
		1, 0, 0, 1,
		0, 1, 1, 0,
	})
	mask, _ := hopfieldlib.BottomHalf(4, 4)
	probe, _ := mask.Apply(img, 0)
	fmt.Println(probe.Row(0))
	spins, _ := hopfieldlib.ToSpins(img)
	fmt.Println(spins.Row(0)[:4])
	back, _ := hopfieldlib.SpinsToImages(spins)
	fmt.Println(back.Row(0)[:4])
	// Output:
	// [0 1 1 0 1 0 0 1 0 0 0 0 0 0 0 0]
	// [-1 1 1 -1]
	// [0 1 1 0]
}
