print("plancc-emulator")
