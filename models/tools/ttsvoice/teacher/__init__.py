"""The teacher data, offline from Debian packages (models/slt/tools/make-teacher-data runs these in order): the
sentence corpus from `fortunes` (corpus), festival's renderings of it with each teacher voice (render), their
checks and provenance (check), and festival's own phones for any text (phones). Festival specifics shared by
render and phones live in festival."""
