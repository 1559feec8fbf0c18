BillingdCommand.main()
