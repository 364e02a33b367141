"""The exercises: state machines that react to events and ask for actions, never touching a device."""
