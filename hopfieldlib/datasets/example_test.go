package datasets_test

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
)

// Load class-balanced MNIST digits and turn them into ±1 spins for a classical network.
func ExampleMNIST() {
	digits, err := datasets.MNIST(100)
	if err != nil {
		fmt.Println(err)
		return
	}
	spins, err := digits.Spins()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(digits)
	fmt.Println("labels:", digits.Labels[:12])
	fmt.Println("spins:", spins)
	// Output:
	// mnist: 100 images of 28×28, 10 classes
	// labels: [0 1 2 3 4 5 6 7 8 9 0 1]
	// spins: Patterns(100×784)
}

// Sprites are 64×64; halve them for a network of N = 1,024 units, and binarize each by its own
// contrast.
func ExampleSprites() {
	sprites, err := datasets.Sprites()
	if err != nil {
		fmt.Println(err)
		return
	}
	small, err := sprites.Resize(32, 32)
	if err != nil {
		fmt.Println(err)
		return
	}
	spins, err := small.SpinsAdaptive()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sprites)
	fmt.Println(small.Names[:4], spins)
	// Output:
	// sprites: 32 images of 64×64, 32 classes
	// [monkey_face dog wolf fox_face] Patterns(32×1024)
}

func ExampleFaces() {
	faces, err := datasets.Faces()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(faces)
	fmt.Println(faces.Names[6:9], faces.Classes[faces.Labels[8]])
	// Output:
	// faces: 168 images of 32×32, 28 classes
	// [child child_skin-tone-2 child_skin-tone-3] child
}

// The same seed draws the same faces.
func ExampleCartoonFaces() {
	a, _ := datasets.CartoonFaces(5, 42)
	b, _ := datasets.CartoonFaces(5, 42)
	fmt.Println(a, a.Names)
	fmt.Println("same faces:", slices.Equal(a.Images.Flat(), b.Images.Flat()))
	// Output:
	// cartoon-faces: 5 images of 32×32, 5 classes [face0 face1 face2 face3 face4]
	// same faces: true
}

// Draw one face from chosen parameters.
func ExampleFace_Draw() {
	f := datasets.Face{HeadWidth: 0.35, HeadHeight: 0.4, Hair: datasets.HairBangs,
		EyeSpacing: 0.12, EyeHeight: 0.48, EyeSize: 0.05, Eyes: datasets.EyesRing,
		Brows: datasets.BrowsRaised, Mouth: datasets.MouthSmile, MouthWidth: 0.12, MouthHeight: 0.72}
	img, err := f.Draw(16)
	if err != nil {
		fmt.Println(err)
		return
	}
	for y := range 16 {
		fmt.Print("|")
		for x := range 16 {
			fmt.Print(string(" .:#"[3-int(img.GrayAt(x, y).Y)/64]))
		}
		fmt.Println("|")
	}
	// Output:
	// |                |
	// |      .::.      |
	// |    .######.    |
	// |   :########:   |
	// |  .##########.  |
	// |  :##########:  |
	// |  #:.##..##.:#  |
	// | .#.:##::##:.#. |
	// | .#..##..##..#. |
	// | .#. ..  .. .#. |
	// |  #: .:  :. :#  |
	// |  ## :####: ##  |
	// |  .#: .::. :#.  |
	// |   ##:.  .:##   |
	// |    :######:    |
	// |     .:##:.     |
}

// Write and read back an IDX array, the format of the MNIST files.
func ExampleReadIDX() {
	var buf bytes.Buffer
	if err := datasets.WriteIDX(&buf, []int{2, 3}, []byte{1, 2, 3, 4, 5, 6}); err != nil {
		fmt.Println(err)
		return
	}
	x, err := datasets.ReadIDX(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Magic(), x.Dims, x.Data)
	// Output:
	// 2050 [2 3] [1 2 3 4 5 6]
}
