// Package locale gives Fyne a locale it can parse. Fyne reads the user's
// locale from LC_ALL, LC_MESSAGES and LANG and logs an error at start for
// "C" and "POSIX" (Debian's default in containers and CI, as C.UTF-8).
// Importing this package for its side effect maps those to en_US.UTF-8
// before Fyne initialises; real locales are left alone.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			continue
		}
		if isPOSIX(v) {
			os.Setenv(name, "en_US.UTF-8")
		}
		// The first set variable is the one in force; stop there.
		return
	}
}

func isPOSIX(v string) bool {
	base, _, _ := strings.Cut(v, ".")
	return base == "C" || base == "POSIX"
}
