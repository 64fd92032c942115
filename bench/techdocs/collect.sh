#!/usr/bin/env bash
# Collects the techdocs development set's documents from this machine's Debian packages into one folder
# (default /tmp/rag-techdocs, or $1), installing the packages that hold them when missing. The repository keeps
# the questions (questions.jsonl) and this script, never the documents' text. Release notes are cut to their
# most recent releases: the first CUT bytes, then up to the next line that starts a new entry at the margin
# after a blank line (a release or section heading), so a document ends where one of its releases ends.
# Needs root for apt-get only when a package is missing. Prints one line per document.
set -euo pipefail
out=${1:-${RAG_TECHDOCS:-/tmp/rag-techdocs}}
mkdir -p "$out"
CUT=${CUT:-30000}

need() { # package, a file it installs
  [ -e "$2" ] && return 0
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
}

# Plain text cut after $CUT bytes at the next entry that starts at the margin after a blank line.
cut_text() {
  awk -v limit="$CUT" '{ n += length($0) + 1 }
    n > limit && prev_blank && $0 ~ /^[^ \t]/ { exit }
    { print; prev_blank = ($0 ~ /^[ \t]*$/) }'
}

news() { # name, package, path under /usr/share/doc/<package>
  local file=/usr/share/doc/$2/$3
  need "$2" "$file"
  # awk stops reading at the cut: the reader's broken pipe is expected.
  { case "$file" in *.gz) zcat "$file" ;; *) cat "$file" ;; esac || true; } | cut_text > "$out/$1"
  echo "$1 $(wc -c < "$out/$1")"
}

manpage() { # name, section, page, package
  need "$4" "/usr/share/man/man$2/$3.$2.gz"
  MANWIDTH=80 man --nh --nj -P cat "$2" "$3" 2>/dev/null | col -bx > "$out/$1"
  echo "$1 $(wc -c < "$out/$1")"
}

copy() { # name, package, path
  need "$2" "$3"
  cp "$3" "$out/$1"
  echo "$1 $(wc -c < "$out/$1")"
}

# Release notes and changelogs, plain text (GNU outline, systemd, glibc, Debian-style bullets, lettered lists):
# document name, then the package whose NEWS.gz it is.
while read -r name package; do
  news "$name" "$package" NEWS.gz
done <<'LIST'
coreutils-news.txt coreutils
systemd-news.txt systemd
glibc-news.txt libc6
tar-news.txt tar
strace-news.txt strace
gnutls-news.txt libgnutls30
dbus-news.txt dbus-bin
glib-news.txt libglib2.0-0
grep-news.txt grep
sed-news.txt sed
findutils-news.txt findutils
make-news.txt make
bash-news.txt bash
wget-news.txt wget
e2fsprogs-news.txt e2fsprogs
libgcrypt-news.txt libgcrypt20
xz-news.txt liblzma5
LIST
# Release notes in Markdown.
news openssl-news.md openssl NEWS.md.gz
news man-db-news.md man-db NEWS.md.gz
# HTML: PostgreSQL 15's release notes and reference pages, GCC's release notes.
pg=/usr/share/doc/postgresql-doc-15/html
copy pg-release-15.html postgresql-doc-15 $pg/release-15.html
copy pg-release-15-20.html postgresql-doc-15 $pg/release-15-20.html
copy pg-runtime-config-wal.html postgresql-doc-15 $pg/runtime-config-wal.html
copy pg-app-pgdump.html postgresql-doc-15 $pg/app-pgdump.html
copy pg-sql-createindex.html postgresql-doc-15 $pg/sql-createindex.html
copy gcc-12-news.html cpp-12 /usr/share/doc/cpp-12/NEWS.html
# Manual pages, rendered as text.
manpage tar.1.txt 1 tar tar
manpage grep.1.txt 1 grep grep
manpage ssh_config.5.txt 5 ssh_config openssh-client
manpage systemd.service.5.txt 5 systemd.service systemd
manpage xz.1.txt 1 xz xz-utils
# PDFs.
copy libtasn1.pdf libtasn1-doc /usr/share/doc/libtasn1-doc/libtasn1.pdf
copy shared-mime-info-spec.pdf shared-mime-info /usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf
