"""Case consultations: de-identified questions routed to supervisors, with threads and due times."""
