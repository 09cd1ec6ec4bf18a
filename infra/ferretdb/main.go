// Command ferretdb-local runs FerretDB (MongoDB wire protocol) for local
// development, embedded through the public github.com/FerretDB/FerretDB/ferretdb
// package with the SQLite backend.
//
// Why a program of our own: the binary produced by a plain `go install` of
// FerretDB panics at start because its build/version/version.txt is generated
// by FerretDB's own build tooling and is absent from the module. The embeddable
// package skips that check, so wrapping it is the simplest reproducible build.
//
// Usage:
//
//	ferretdb-local -listen 127.0.0.1:27017 -data .local/data/ferretdb
//	ferretdb-local -version            # prints the embedded FerretDB version
//	ferretdb-local -ping 127.0.0.1:27017  # exit 0 if the server answers {ping: 1}
//
// scripts/engines.sh builds and drives it.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretModule = "github.com/FerretDB/FerretDB"

// ferretVersion returns the version of the FerretDB module linked into this
// binary (the embedded package itself reports "unknown").
func ferretVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, d := range bi.Deps {
		if d.Path == ferretModule {
			if d.Replace != nil {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "unknown"
}

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", ".local/data/ferretdb", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn, error")
	showVersion := flag.Bool("version", false, "print the FerretDB version and exit")
	ping := flag.String("ping", "", "send {ping: 1} to this address and exit 0 if it answers ok")
	flag.Parse()

	if *showVersion {
		fmt.Printf("FerretDB %s (embedded, sqlite)\n", ferretVersion())
		return
	}

	if *ping != "" {
		if err := pingServer(*ping, 3*time.Second); err != nil {
			fmt.Fprintf(os.Stderr, "ping %s: %v\n", *ping, err)
			os.Exit(1)
		}
		fmt.Println("ok")
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The SQLite handler wants a "file:" URI naming an existing directory with a
	// trailing slash; each database becomes one .sqlite file inside it.
	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("resolve data dir", "err", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		logger.Error("create data dir", "err", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		// synchronous(normal) with WAL: commits survive a crash of the process (what the
		// tests inject) without an fsync per write. (_txlock=immediate was tried against
		// SQLITE_BUSY and deadlocked: an open cursor then holds the write lock.)
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		logger.Error("start FerretDB", "err", err)
		os.Exit(1)
	}

	// Stop cleanly on SIGTERM/SIGINT so SQLite files are closed properly.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// engines.sh greps for this line (together with a real ping) for readiness.
	logger.Info(fmt.Sprintf("FerretDB %s starting", ferretVersion()), "listen", *listen, "data", abs)

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// Run only binds the listener once started; report the URI when it is ready.
	go func() {
		for i := 0; i < 300; i++ {
			if pingServer(*listen, time.Second) == nil {
				logger.Info("FerretDB ready", "uri", f.MongoDBURI())
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()

	<-done
	logger.Info("FerretDB stopped")
}

// pingServer sends an OP_MSG {ping: 1, $db: "admin"} and checks for ok: 1.
// Hand-rolled to keep the binary free of a MongoDB driver dependency.
func pingServer(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))

	// BSON document {ping: int32(1), $db: "admin"}.
	var doc bytes.Buffer
	doc.WriteByte(0x10) // int32
	doc.WriteString("ping\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.WriteByte(0x02) // string
	doc.WriteString("$db\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0x00)
	body := doc.Bytes()
	bson := make([]byte, 4+len(body))
	binary.LittleEndian.PutUint32(bson, uint32(len(bson)))
	copy(bson[4:], body)

	// OP_MSG: header(16) + flagBits(4) + section kind 0 + document.
	msgLen := 16 + 4 + 1 + len(bson)
	msg := make([]byte, 0, msgLen)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(msgLen))
	msg = binary.LittleEndian.AppendUint32(msg, 1)    // requestID
	msg = binary.LittleEndian.AppendUint32(msg, 0)    // responseTo
	msg = binary.LittleEndian.AppendUint32(msg, 2013) // OP_MSG
	msg = binary.LittleEndian.AppendUint32(msg, 0)    // flagBits
	msg = append(msg, 0)                              // section kind 0: body
	msg = append(msg, bson...)
	if _, err := conn.Write(msg); err != nil {
		return err
	}

	hdr := make([]byte, 16)
	if _, err := io.ReadFull(conn, hdr); err != nil {
		return err
	}
	n := binary.LittleEndian.Uint32(hdr)
	if n < 16 || n > 16<<20 {
		return fmt.Errorf("bad reply length %d", n)
	}
	reply := make([]byte, n-16)
	if _, err := io.ReadFull(conn, reply); err != nil {
		return err
	}

	// Look for the element ok: double(1.0) in the reply document.
	okElem := append([]byte{0x01, 'o', 'k', 0x00}, binary.LittleEndian.AppendUint64(nil, math.Float64bits(1))...)
	if !bytes.Contains(reply, okElem) {
		return errors.New("reply has no ok: 1")
	}
	return nil
}
