package staff

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106's second recommended option, with the
// memory OWASP suggests as a minimum for a server that also answers
// shoppers): about 20 ms a hash on one core.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 12

// hashPassword returns the PHC-format argon2id hash of password.
func hashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64(salt), b64(key)), nil
}

// checkPassword reports whether password matches encoded, in time that
// does not depend on where they differ.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unknown argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 16 {
		return false, errors.New("bad argon2 parameters")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("bad salt")
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, errors.New("bad key")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// hashSlots bounds the password checks running at once: each takes
// argon2id's memory (19 MiB), so unbounded parallel logins would take the
// server's memory. A check that finds no slot free in slotWait fails.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

const slotWait = 2 * time.Second

// errBusy: no password check slot came free in time.
var errBusy = errors.New("too many sign-ins at once")

// passwordCheck is what Login checks passwords with (tests count the
// checks through it).
var passwordCheck = checkPasswordLimited

// checkPasswordLimited is checkPassword in one of hashSlots.
func checkPasswordLimited(ctx context.Context, encoded, password string) (bool, error) {
	timer := time.NewTimer(slotWait)
	defer timer.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-timer.C:
		return false, errBusy
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return checkPassword(encoded, password)
}

// dummyHash is compared against when a user does not exist, so that an
// unknown name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("shopdesk-no-such-user")
	return h
})
