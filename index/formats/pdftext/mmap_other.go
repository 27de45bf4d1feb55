//go:build !unix

package pdftext

import "context"

func withAllocator(ctx context.Context) context.Context { return ctx }
