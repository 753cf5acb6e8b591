// Package selfcontained holds a test about the repository as a whole: no
// file in it points outside it.
package selfcontained
