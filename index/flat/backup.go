package flat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Backup copies the store into dir, which it creates, while the store is
// in use: the log up to its last complete record, under the store's lock,
// so writes wait meanwhile and searches do not. Opening the copy gives
// the store as it was at that moment.
func (s *Store) Backup(ctx context.Context, dir string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.log == nil {
		return errors.New("vector store is closed")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("vector store backup: %w", err)
	}
	src, err := os.Open(s.log.path)
	if err != nil {
		return fmt.Errorf("vector store backup: %w", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(dir, filepath.Base(s.log.path)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("vector store backup: %w", err)
	}
	if _, err := io.CopyN(dst, src, s.log.size); err != nil {
		dst.Close()
		return fmt.Errorf("vector store backup: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return fmt.Errorf("vector store backup: %w", err)
	}
	return dst.Close()
}
