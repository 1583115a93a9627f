"""Scale measurements: the synthetic data generator (`keguan bench-data`) and the pieces the
benchmark (`make bench`, scripts/bench.sh) runs. Never loaded by the web application."""
