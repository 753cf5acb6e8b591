package vault

import (
	"fmt"
	"testing"
)

func BenchmarkSeal(b *testing.B) {
	for _, size := range []int{256, 4 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			v := testVault(b)
			bucket, key, plain := []byte("txns"), []byte("acc-0001|20240101|0000000042"), make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Seal(bucket, key, plain); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnseal(b *testing.B) {
	for _, size := range []int{256, 4 << 10} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			v := testVault(b)
			bucket, key := []byte("txns"), []byte("acc-0001|20240101|0000000042")
			sealed, err := v.Seal(bucket, key, make([]byte, size))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Unseal(bucket, key, sealed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
