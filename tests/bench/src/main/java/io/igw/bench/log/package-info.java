/**
 * A benchmark's progress events (igw's log dialect, on standard error). It depends on no other
 * bench package.
 */
package io.igw.bench.log;
