"""Personal data: subject access exports, erasure that keeps statistics, retention from
the charter, legal holds, the record of who viewed a case, and personal-data breaches."""
