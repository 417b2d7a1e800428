print("plancc")
