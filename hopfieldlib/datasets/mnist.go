package datasets

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// The shipped MNIST files, inside the data folder.
const (
	MNISTImagesFile = "mnist/mnist-10k-images-idx3-ubyte.gz"
	MNISTLabelsFile = "mnist/mnist-10k-labels-idx1-ubyte.gz"
	// MNISTSize is the number of shipped digits: the first 10,000 images of the MNIST training
	// set, in round-robin order by class (0, 1, …, 9, 0, 1, …), so every prefix of up to 8,630
	// digits has the same number of each class.
	MNISTSize = 10000
	// MNISTBalanced is the longest class-balanced prefix: 10 × 863, 863 being the count of the
	// rarest class (5) among the shipped digits.
	MNISTBalanced = 8630
)

// MNIST loads the first n shipped MNIST digits (1 ≤ n ≤ [MNISTSize]) as 28×28 images from the
// data folder found by [Dir]. The first n are class-balanced for n ≤ [MNISTBalanced]; with n =
// 100, ten of each digit.
func MNIST(n int) (*Set, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return MNISTIn(dir, n)
}

// MNISTIn is [MNIST] reading from the data folder dir.
func MNISTIn(dir string, n int) (*Set, error) {
	imgPath, labPath := filepath.Join(dir, MNISTImagesFile), filepath.Join(dir, MNISTLabelsFile)
	fi, err := openFile(imgPath)
	if err != nil {
		return nil, err
	}
	defer fi.Close()
	fl, err := openFile(labPath)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	s, err := ReadMNIST(fi, fl, n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", imgPath, err)
	}
	return s, nil
}

// ReadMNIST reads the first n digits from IDX images (magic 2051, count×rows×cols bytes, 0 =
// background, 255 = ink) and labels (magic 2049, count bytes in 0…9), gzip-compressed or not.
// Pixel byte b becomes intensity b/255. A malformed stream, mismatched counts or a label
// outside 0…9 wrap [ErrData]; n outside [1, count] wraps [hopfieldlib.ErrParameter].
func ReadMNIST(images, labels io.Reader, n int) (*Set, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: MNIST(%d): need n ≥ 1 digits", hopfieldlib.ErrParameter, n)
	}
	xi, err := ReadIDX(images)
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	if len(xi.Dims) != 3 || xi.Magic() != MagicImages {
		return nil, fmt.Errorf("%w: images: IDX with dimensions %v (magic %d): want count×rows×cols (magic %d)",
			ErrData, xi.Dims, xi.Magic(), MagicImages)
	}
	xl, err := ReadIDX(labels)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if len(xl.Dims) != 1 || xl.Magic() != MagicLabels {
		return nil, fmt.Errorf("%w: labels: IDX with dimensions %v (magic %d): want one dimension (magic %d)",
			ErrData, xl.Dims, xl.Magic(), MagicLabels)
	}
	count, rows, cols := xi.Dims[0], xi.Dims[1], xi.Dims[2]
	if xl.Dims[0] != count {
		return nil, fmt.Errorf("%w: %d labels for %d images", ErrData, xl.Dims[0], count)
	}
	if n > count {
		return nil, fmt.Errorf("%w: MNIST(%d): the file holds %d digits", hopfieldlib.ErrParameter, n, count)
	}
	s := &Set{Name: "mnist", Height: rows, Width: cols, Labels: make([]int, n), Classes: make([]string, 10)}
	for c := range s.Classes {
		s.Classes[c] = strconv.Itoa(c)
	}
	for i, l := range xl.Data {
		if l > 9 {
			return nil, fmt.Errorf("%w: label %d is %d, want a digit 0…9", ErrData, i, l)
		}
		if i < n {
			s.Labels[i] = int(l)
		}
	}
	d := rows * cols
	if s.Images, err = hopfieldlib.Zeros(n, d); err != nil {
		return nil, err
	}
	data := s.Images.Flat()
	for i, b := range xi.Data[:n*d] {
		data[i] = float32(b) / 255
	}
	return s, nil
}
